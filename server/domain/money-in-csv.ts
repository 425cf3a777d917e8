import { parse } from 'csv-parse/sync';
import { MONEY_SOURCES, type MoneySource } from '../../db/schema.js';
import type { MoneyInInput } from './fund-money.js';
import { parseYen } from './money.js';

export const MAX_MONEY_IN_ROWS = 5_000;
const MAX_AMOUNT = 10_000_000_000;

/** Which column of the donation platform's export holds what; source may be absent (then `defaultSource`). */
export interface MoneyInMapping {
  date: string;
  amount: string;
  source: string | null;
  label: string | null;
  defaultSource: MoneySource;
}

const SOURCE_WORDS: Record<string, MoneySource> = {
  individual: 'individual', 個人: 'individual', 寄付: 'individual', 個人寄付: 'individual',
  grant: 'grant', 助成: 'grant', 助成金: 'grant',
  corporate: 'corporate', 法人: 'corporate', 企業: 'corporate',
  other: 'other', その他: 'other',
};

/** 2025-06-01, 2025/6/1 (as spreadsheets write it) → 2025-06-01, or null. */
export function normalizeDate(text: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso && iso >= '2000-01-01' ? iso : null;
}

export interface MoneyInParse {
  rows: MoneyInInput[];
  /** Per data row (1 = first after the header): a message key. */
  problems: { row: number; field: string; message: string }[];
  headers: string[];
}

/** Read the platform's CSV (UTF-8, BOM allowed) with the mapping; every bad row is reported, none is guessed. */
export function parseMoneyInCsv(text: string, mapping: MoneyInMapping): MoneyInParse {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\ufeff/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
  } catch {
    return { rows: [], problems: [{ row: 0, field: 'csv', message: 'fundMoney.csvUnreadable' }], headers: [] };
  }
  const headers = records.length > 0 ? Object.keys(records[0]!) : [];
  const problems: MoneyInParse['problems'] = [];
  for (const [field, column] of [['date', mapping.date], ['amount', mapping.amount], ['source', mapping.source], ['label', mapping.label]] as const) {
    if (column !== null && records.length > 0 && !headers.includes(column)) problems.push({ row: 0, field, message: 'fundMoney.columnMissing' });
  }
  if (records.length > MAX_MONEY_IN_ROWS) problems.push({ row: 0, field: 'csv', message: 'fundMoney.csvTooLong' });
  if (problems.length > 0) return { rows: [], problems, headers };
  const rows: MoneyInInput[] = [];
  records.forEach((record, i) => {
    const row = i + 1;
    const date = normalizeDate(record[mapping.date] ?? '');
    if (!date) problems.push({ row, field: 'date', message: 'fundMoney.dateInvalid' });
    const amount = parseYen(record[mapping.amount] ?? '', MAX_AMOUNT);
    if (!amount.ok) problems.push({ row, field: 'amount', message: amount.problem });
    const sourceText = mapping.source === null ? '' : (record[mapping.source] ?? '').normalize('NFKC').trim().toLowerCase();
    const source = sourceText === '' ? mapping.defaultSource : SOURCE_WORDS[sourceText];
    if (!source) problems.push({ row, field: 'source', message: 'fundMoney.sourceUnknown' });
    const label = mapping.label === null ? '' : (record[mapping.label] ?? '').slice(0, 200);
    if (date && amount.ok && source) rows.push({ receivedOn: date, amount: amount.value, source, label: label === '' ? null : label });
  });
  return { rows, problems, headers };
}

export const isMoneySource = (v: string): v is MoneySource => (MONEY_SOURCES as readonly string[]).includes(v);
