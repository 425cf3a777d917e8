import { stringify } from 'csv-stringify/sync';
import type { Db, Tx } from '../../db/client.js';
import type { Locale } from '../../db/schema.js';
import { translator } from '../i18n/index.js';
import type { Actor } from './actor.js';
import { tokyoDateTime } from './dates.js';
import { LEDGER_COLUMNS, ledgerHeader, ledgerWords } from './exports/ledger-columns.js';
import { iterateLedgerEntries } from './exports/ledger-rows.js';
import { encodeShiftJis, rowUnmappable, type UnmappableChar } from './exports/shift-jis.js';
import type { ReportQuery } from './figures/scope.js';
import type { Summary } from './figures.js';
import { dataLocale } from '../i18n/languages.js';

export type CsvCell = string | number | null;

/** What an export produced: the bytes (UTF-8 with BOM, CRLF) and how many data rows they hold. */
export interface CsvFile {
  body: Uint8Array;
  rows: number;
}

/** UTF-8 with BOM (the default), or Shift_JIS (CP932) for older Japanese software: `?encoding=sjis`. */
export type CsvEncoding = 'utf8' | 'sjis';

/** A CSV, or — for Shift_JIS — the characters it cannot hold, reported instead of replaced. */
export type CsvOutcome = ({ ok: true } & CsvFile) | { ok: false; unmappable: UnmappableChar[] };

/**
 * A text cell that a spreadsheet would read as a formula (= + - @, tab, CR first) gets a leading
 * single quote. Japanese Excel also starts a formula at a full-width ＝ ＋ － ＠ (what an IME
 * types), so the first character is compared after NFKC folding (which also catches the small
 * and superscript forms). Only strings: numbers stay numbers so sums still work in Excel.
 */
export function neutralizeCell(value: CsvCell): CsvCell {
  if (typeof value !== 'string' || value === '') return value;
  const first = String.fromCodePoint(value.codePointAt(0)!).normalize('NFKC');
  if (/^[=+\-@\t\r]/.test(first)) return `'${value}`;
  return value;
}

const OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: false } as const;

/** RFC 4180 CSV that Japanese Excel opens as UTF-8: BOM, CRLF, quotes where needed. */
export function toCsv(header: string[], rows: Iterable<CsvCell[]>): CsvFile {
  const outcome = encodeCsv({ header, items: rows, cells: (row) => row }, 'utf8');
  if (!outcome.ok) throw new Error('UTF-8 holds every character');
  return { body: outcome.body, rows: outcome.rows };
}

/** One fresh buffer of its own (never a slice of Node's shared pool), so it can be transferred. */
function joinBytes(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** A table to write: rows made from items one at a time, so a large ledger streams from SQLite. */
export interface CsvSource<T> {
  header: string[];
  items: Iterable<T>;
  cells(item: T): CsvCell[];
  /** Which record a row comes from, for the Shift_JIS report (e.g. `#12`). */
  record?(item: T): string | null;
  /** Rows after the data (totals), made once every item has been seen; not counted in `rows`. */
  footer?(): CsvCell[][];
}

/** Enough to fix a file; a pathological one does not fill memory with reports. */
const MAX_REPORTED = 1000;

/**
 * The one way a table becomes a CSV file: CRLF, formulas neutralized, in batches. UTF-8 starts
 * with a BOM; Shift_JIS (CP932) checks every cell and, if any character cannot be held, returns
 * where they are instead of a file — nothing is ever replaced.
 */
export function encodeCsv<T>(source: CsvSource<T>, encoding: CsvEncoding): CsvOutcome {
  const sjis = encoding === 'sjis';
  const chunks: Uint8Array[] = [];
  const unmappable: UnmappableChar[] = [];
  let line = 0;
  let count = 0;
  let batch: CsvCell[][] = [];
  const flush = () => {
    if (batch.length > 0 && unmappable.length === 0) {
      const text = stringify(batch, { ...OPTIONS, bom: !sjis && line === batch.length });
      chunks.push(sjis ? encodeShiftJis(text) : Buffer.from(text, 'utf8'));
    }
    batch = [];
  };
  const add = (cells: CsvCell[], record: string | null) => {
    const row = cells.map(neutralizeCell);
    line += 1;
    if (sjis && unmappable.length < MAX_REPORTED) unmappable.push(...rowUnmappable(source.header, row, line, record));
    batch.push(row);
    if (batch.length === 5000) flush();
  };
  add(source.header, null);
  for (const item of source.items) {
    add(source.cells(item), source.record?.(item) ?? null);
    count += 1;
  }
  for (const row of source.footer?.() ?? []) add(row, null);
  flush();
  if (unmappable.length > 0) return { ok: false, unmappable };
  return { ok: true, body: joinBytes(chunks), rows: count };
}

/** summary.csv: the category table of the summary, then the total row. */
export function buildSummaryCsv(summary: Summary, locale: Locale, encoding: CsvEncoding = 'utf8'): CsvOutcome {
  const t = translator(locale);
  const header = ['code', 'category', 'amount', 'share', 'lines'].map((k) => t(`reports.csv.${k}`));
  const rows: CsvCell[][] = summary.byCategory.map((c) => [c.code, dataLocale(locale) === 'ja' ? c.labelJa : c.labelEn, c.amount, c.share.toFixed(1), c.lines]);
  const totalShare = summary.total > 0 ? '100.0' : '0.0';
  const lines = summary.byCategory.reduce((sum, c) => sum + c.lines, 0);
  return encodeCsv({ header, items: rows, cells: (row) => row, footer: () => [['total', t('reports.total'), summary.total, totalShare, lines]] }, encoding);
}

/**
 * ledger.csv: one row per line of every disbursement in scope, voided ones included and marked
 * 取消, words in the user's language, Japan time; the totals row adds only what the figures count.
 */
export function buildLedgerCsv(db: Db | Tx, actor: Actor, query: ReportQuery, locale: Locale, encoding: CsvEncoding = 'utf8'): CsvOutcome {
  const t = translator(locale);
  const words = ledgerWords(t, locale);
  const amountAt = LEDGER_COLUMNS.findIndex((c) => c.key === 'amount');
  let total = 0;
  return encodeCsv(
    {
      header: ledgerHeader(t),
      items: iterateLedgerEntries(db, actor, query, { withVoided: true }),
      cells: (e) => {
        if (e.counted) total += e.amount;
        return LEDGER_COLUMNS.map((c) => {
          const v = c.value(e, words);
          return c.kind === 'instant' && typeof v === 'string' ? tokyoDateTime(v) : v;
        });
      },
      record: (e) => `#${e.disbursementId}`,
      footer: () => [LEDGER_COLUMNS.map((_, i) => (i === 0 ? t('exports.totalRow') : i === amountAt ? total : null))],
    },
    encoding,
  );
}
