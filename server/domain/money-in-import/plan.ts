import { createHash } from 'node:crypto';
import { MONEY_SOURCES, type MoneySource } from '../../../db/schema.js';
import type { MoneyInInput } from '../fund-money.js';
import { parseSheetDate } from '../imports/dates.js';
import { headerMatcher } from '../imports/headers.js';
import { foldWord } from '../imports/words.js';
import { parseYen } from '../money.js';

/**
 * The donation platform's export read row by row (issue 14 §3): which column is what, the
 * user's own words for source types, and every row judged before anything is written.
 */
export const MONEY_IN_IMPORT_FIELDS = ['receivedOn', 'amount', 'source', 'label'] as const;
export type MoneyInField = (typeof MONEY_IN_IMPORT_FIELDS)[number];
export const MONEY_IN_REQUIRED: readonly MoneyInField[] = ['receivedOn', 'amount'];
export const MAX_MONEY_IN_ROWS = 5_000;
const MAX_AMOUNT = 10_000_000_000;

export const moneyInHeaders = headerMatcher(MONEY_IN_IMPORT_FIELDS, {
  receivedOn: [
    '日付',
    '入金日',
    '受取日',
    '受領日',
    '寄付日',
    '決済日',
    '支払日',
    '年月日',
    '取引日',
    'date',
    'receivedon',
    'donationdate',
    'paymentdate',
    'paidat',
  ],
  amount: ['金額', '寄付額', '寄付金額', '入金額', '支援額', '決済金額', '金額円', 'amount', 'yen', 'total'],
  source: ['種別', '寄付種別', '支援種別', '入金種別', '区分', '財源種別', 'sourcetype', 'source', 'type', 'kind'],
  label: ['摘要', '件名', 'キャンペーン', 'プロジェクト', '名目', '備考', 'メモ', 'label', 'campaign', 'project', 'memo', 'note', 'reference'],
});

export interface MoneyInMapping {
  columns: Partial<Record<MoneyInField, number>>;
  /** The file's own words for source types (「マンスリー」→ individual), as the user confirmed them. */
  sourceWords: Record<string, MoneySource>;
  /** For rows with no source column or an empty cell. */
  defaultSource: MoneySource;
}

const COMMON_SOURCE_WORDS: Record<string, MoneySource> = {
  個人: 'individual',
  寄付: 'individual',
  個人寄付: 'individual',
  寄附: 'individual',
  個人寄附: 'individual',
  マンスリー: 'individual',
  単発: 'individual',
  donation: 'individual',
  助成: 'grant',
  助成金: 'grant',
  補助金: 'grant',
  交付金: 'grant',
  法人: 'corporate',
  企業: 'corporate',
  法人寄付: 'corporate',
  企業寄付: 'corporate',
  company: 'corporate',
  その他: 'other',
};

export const isMoneySource = (v: string): v is MoneySource => (MONEY_SOURCES as readonly string[]).includes(v);

/** The source type a word means, or null: the user's words, then codes and the page's labels, then common words. */
export function sourceForWord(word: string, labels: Record<MoneySource, string[]>, own: Record<string, string> = {}): MoneySource | null {
  const folded = foldWord(word);
  if (folded === '') return null;
  const ownHit = Object.entries(own).find(([w]) => foldWord(w) === folded);
  if (ownHit && isMoneySource(ownHit[1])) return ownHit[1];
  const known = MONEY_SOURCES.find((s) => foldWord(s) === folded || labels[s].some((l) => foldWord(l) === folded));
  return known ?? COMMON_SOURCE_WORDS[folded] ?? null;
}

export type RowProblem = { field: MoneyInField; key: string; params?: Record<string, string | number> };
export type RowOutcome =
  { rowNumber: number; status: 'ok' | 'duplicate'; value: MoneyInInput; key: string } | { rowNumber: number; status: 'error'; problem: RowProblem };

export interface MoneyInSummary {
  rows: number;
  ok: number;
  duplicates: number;
  errors: number;
  /** Yen of the rows the commit would add. */
  total: number;
  bySource: { source: MoneySource; amount: number; count: number }[];
}

/** A row's meaning, not its place in the file: the same gift exported twice has the same key. */
export const rowKeyOf = (fundId: number, v: MoneyInInput) =>
  createHash('sha256')
    .update(`money-in/v1|${fundId}|${v.receivedOn}|${v.amount}|${v.source}|${v.label ?? ''}`)
    .digest('hex');

function readRow(cells: string[], mapping: MoneyInMapping, labels: Record<MoneySource, string[]>): MoneyInInput | RowProblem {
  const cell = (f: MoneyInField) => (mapping.columns[f] === undefined ? '' : (cells[mapping.columns[f]!] ?? '').trim());
  const date = parseSheetDate(cell('receivedOn'));
  if (!date.ok) return { field: 'receivedOn', key: cell('receivedOn') === '' ? 'validation.required' : date.problem };
  const amount = parseYen(cell('amount'), MAX_AMOUNT);
  if (!amount.ok) return { field: 'amount', key: amount.problem };
  const word = cell('source');
  const source = word === '' ? mapping.defaultSource : sourceForWord(word, labels, mapping.sourceWords);
  if (!source) return { field: 'source', key: 'fundsMore.import.sourceUnknown', params: { word: word.slice(0, 40) } };
  const label = cell('label').slice(0, 200);
  return { receivedOn: date.value, amount: amount.value, source, label: label === '' ? null : label };
}

/**
 * Judge every row. The n-th row with a given key is a duplicate when the fund already holds n
 * imported rows with it, so an overlapping export adds only what is new.
 */
export function planMoneyIn(
  fundId: number,
  rows: { rowNumber: number; cells: string[] }[],
  mapping: MoneyInMapping,
  labels: Record<MoneySource, string[]>,
  importedCount: (key: string) => number,
) {
  const seen = new Map<string, number>();
  const outcomes: RowOutcome[] = rows.map((r) => {
    const read = readRow(r.cells, mapping, labels);
    if ('key' in read) return { rowNumber: r.rowNumber, status: 'error', problem: read };
    const key = rowKeyOf(fundId, read);
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    return { rowNumber: r.rowNumber, status: nth <= importedCount(key) ? 'duplicate' : 'ok', value: read, key };
  });
  const fresh = outcomes.filter((o): o is Extract<RowOutcome, { status: 'ok' | 'duplicate' }> => o.status === 'ok');
  const bySource = MONEY_SOURCES.map((source) => {
    const mine = fresh.filter((o) => o.value.source === source);
    return { source, amount: mine.reduce((s, o) => s + o.value.amount, 0), count: mine.length };
  }).filter((s) => s.count > 0);
  const summary: MoneyInSummary = {
    rows: outcomes.length,
    ok: fresh.length,
    duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
    errors: outcomes.filter((o) => o.status === 'error').length,
    total: fresh.reduce((s, o) => s + o.value.amount, 0),
    bySource,
  };
  return { outcomes, summary };
}
