import { METHODS } from '../../../db/schema.js';

/**
 * Words a sheet uses for categories and methods, matched to codes. The user's own words
 * (「家賃」→ shelter) come first; then the category's code and labels; then common words.
 */
export type Method = (typeof METHODS)[number];

/** A word folded for matching: NFKC, lower case, trimmed, inner spaces removed. */
export const foldWord = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');

const COMMON_CATEGORY_WORDS: Record<string, string> = {
  家賃: 'shelter',
  住居: 'shelter',
  住居費: 'shelter',
  宿泊: 'shelter',
  宿泊費: 'shelter',
  シェルター: 'shelter',
  ホテル: 'shelter',
  食費: 'food',
  食料: 'food',
  食料品: 'food',
  消耗品: 'food',
  日用品: 'food',
  医療: 'medical',
  医療費: 'medical',
  薬代: 'medical',
  通院: 'medical',
  光熱費: 'utilities',
  水道光熱費: 'utilities',
  電気代: 'utilities',
  ガス代: 'utilities',
  通信費: 'utilities',
  携帯: 'utilities',
  帰国: 'repatriation',
  帰国費用: 'repatriation',
  航空券: 'repatriation',
  学費: 'tuition',
  教育費: 'tuition',
  授業料: 'tuition',
  その他: 'other',
};

const COMMON_METHOD_WORDS: Record<string, Method> = {
  現金: 'cash',
  手渡し: 'cash',
  振込: 'bank_transfer',
  銀行振込: 'bank_transfer',
  口座振込: 'bank_transfer',
  振り込み: 'bank_transfer',
  直接支払: 'paid_to_provider',
  立替: 'paid_to_provider',
  支払先へ直接: 'paid_to_provider',
  代理支払: 'paid_to_provider',
  プリペイド: 'prepaid_card',
  プリペイドカード: 'prepaid_card',
  ギフトカード: 'prepaid_card',
  商品券: 'prepaid_card',
  現物: 'in_kind',
  物品: 'in_kind',
  現物支給: 'in_kind',
  その他: 'other',
};

export interface CategoryWordSource {
  code: string;
  labelJa: string;
  labelEn: string;
}

/** The category code a word means, or null: the user's words, then codes and labels, then common words. */
export function categoryForWord(word: string, categories: CategoryWordSource[], own: Record<string, string> = {}): string | null {
  const folded = foldWord(word);
  if (folded === '') return null;
  const ownHit = Object.entries(own).find(([w]) => foldWord(w) === folded);
  if (ownHit) return ownHit[1];
  const known = categories.find((c) => [c.code, c.labelJa, c.labelEn].some((v) => foldWord(v) === folded));
  if (known) return known.code;
  const common = COMMON_CATEGORY_WORDS[folded];
  return common && categories.some((c) => c.code === common) ? common : null;
}

/** The method code a word means, or null. `labels` are the UI's words for each method, in every language. */
export function methodForWord(word: string, labels: Record<string, string[]>, own: Record<string, string> = {}): Method | null {
  const folded = foldWord(word);
  if (folded === '') return null;
  const ownHit = Object.entries(own).find(([w]) => foldWord(w) === folded);
  if (ownHit && (METHODS as readonly string[]).includes(ownHit[1])) return ownHit[1] as Method;
  const code = METHODS.find((m) => foldWord(m) === folded || (labels[m] ?? []).some((l) => foldWord(l) === folded));
  return code ?? COMMON_METHOD_WORDS[folded] ?? null;
}
