import { foldWord } from './words.js';

/**
 * A sheet's 状態 column. Only money actually paid becomes a record: 承認済 rows are imported (and
 * approved when a second coordinator confirms the batch, the four-eyes rule), 承認待ち rows stay
 * pending after that confirmation. 取消 / 差し戻し / 取り下げ rows were never counted: they are
 * skipped and counted in the dry run, not imported, because their decision (who voided, when,
 * why) happened elsewhere and an import cannot make it again truthfully.
 */
export type SheetStatus = 'approved' | 'pending' | 'voided' | 'rejected' | 'withdrawn';
export const SHEET_STATUSES: readonly SheetStatus[] = ['approved', 'pending', 'voided', 'rejected', 'withdrawn'];
export const isSkippedStatus = (s: SheetStatus | null): boolean => s === 'voided' || s === 'rejected' || s === 'withdrawn';

const COMMON_STATUS_WORDS: Record<string, SheetStatus> = {
  承認済: 'approved',
  承認済み: 'approved',
  承認: 'approved',
  支給済: 'approved',
  支給済み: 'approved',
  済: 'approved',
  確定: 'approved',
  承認待: 'pending',
  承認待ち: 'pending',
  未承認: 'pending',
  申請中: 'pending',
  確認中: 'pending',
  未確定: 'pending',
  取消: 'voided',
  取り消し: 'voided',
  取消し: 'voided',
  取消済: 'voided',
  無効: 'voided',
  void: 'voided',
  cancelled: 'voided',
  canceled: 'voided',
  却下: 'rejected',
  差戻し: 'rejected',
  差し戻し: 'rejected',
  取下げ: 'withdrawn',
  取下: 'withdrawn',
  取り下げ: 'withdrawn',
};

/** The status a word means, or null: the codes, the app's own labels (every language), then common words. */
export function statusForWord(word: string, labels: Record<string, string[]>): SheetStatus | null {
  const folded = foldWord(word);
  if (folded === '') return null;
  const hit = SHEET_STATUSES.find((s) => s === folded || (labels[s] ?? []).some((l) => foldWord(l) === folded));
  return hit ?? COMMON_STATUS_WORDS[folded] ?? null;
}
