import { stringify } from 'csv-stringify/sync';
import type { Db, Tx } from '../../db/client.js';
import type { Locale } from '../../db/schema.js';
import { translator } from '../i18n/index.js';
import type { Actor } from './actor.js';
import { tokyoDateTime } from './clock.js';
import { countedTotal, LEDGER_COLUMNS, ledgerHeader, ledgerWords } from './exports/ledger-columns.js';
import { listLedgerEntries } from './exports/ledger-rows.js';
import { encodeShiftJis, findUnmappable, type UnmappableChar } from './exports/shift-jis.js';
import type { ReportQuery } from './figures/scope.js';
import type { Summary } from './figures.js';

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
 * single quote. Only strings: numbers stay numbers so sums still work in Excel.
 */
export function neutralizeCell(value: CsvCell): CsvCell {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return value;
}

const OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: false } as const;

/** RFC 4180 CSV that Japanese Excel opens as UTF-8: BOM, CRLF, quotes where needed. */
export function toCsv(header: string[], rows: Iterable<CsvCell[]>): CsvFile {
  const chunks: Buffer[] = [Buffer.from(stringify([header.map(neutralizeCell)], { ...OPTIONS, bom: true }), 'utf8')];
  let count = 0;
  let batch: CsvCell[][] = [];
  const flush = () => {
    if (batch.length > 0) chunks.push(Buffer.from(stringify(batch, OPTIONS), 'utf8'));
    batch = [];
  };
  for (const row of rows) {
    batch.push(row.map(neutralizeCell));
    count += 1;
    if (batch.length === 5000) flush();
  }
  flush();
  return { body: joinBytes(chunks), rows: count };
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

/**
 * The one way a table becomes a CSV file. `footer` rows (totals) are written after the data rows
 * and not counted in `rows`. Shift_JIS: every cell is checked first; nothing is replaced.
 */
export function encodeCsv(
  header: string[],
  rows: CsvCell[][],
  options: { encoding: CsvEncoding; footer?: CsvCell[][]; recordOf?: (index: number) => string | null },
): CsvOutcome {
  const footer = options.footer ?? [];
  if (options.encoding === 'utf8') {
    const file = toCsv(header, [...rows, ...footer]);
    return { ok: true, body: file.body, rows: rows.length };
  }
  const cells = [header, ...rows, ...footer].map((r) => r.map(neutralizeCell));
  const unmappable = findUnmappable(cells[0] as string[], cells.slice(1), options.recordOf);
  if (unmappable.length > 0) return { ok: false, unmappable };
  const body = encodeShiftJis(stringify(cells, OPTIONS));
  return { ok: true, body: joinBytes([body]), rows: rows.length };
}

/** summary.csv: the category table of the summary, then the total row. */
export function buildSummaryCsv(summary: Summary, locale: Locale, encoding: CsvEncoding = 'utf8'): CsvOutcome {
  const t = translator(locale);
  const header = ['code', 'category', 'amount', 'share', 'lines'].map((k) => t(`reports.csv.${k}`));
  const rows: CsvCell[][] = summary.byCategory.map((c) => [c.code, locale === 'ja' ? c.labelJa : c.labelEn, c.amount, c.share.toFixed(1), c.lines]);
  const totalShare = summary.total > 0 ? '100.0' : '0.0';
  const lines = summary.byCategory.reduce((sum, c) => sum + c.lines, 0);
  return encodeCsv(header, rows, { encoding, footer: [['total', t('reports.total'), summary.total, totalShare, lines]] });
}

/**
 * ledger.csv: one row per line of every disbursement in scope, voided ones included and marked
 * 取消, words in the user's language, Japan time; the totals row adds only what the figures count.
 */
export function buildLedgerCsv(db: Db | Tx, actor: Actor, query: ReportQuery, locale: Locale, encoding: CsvEncoding = 'utf8'): CsvOutcome {
  const t = translator(locale);
  const words = ledgerWords(t, locale);
  const entries = listLedgerEntries(db, actor, query, { withVoided: true });
  const rows: CsvCell[][] = entries.map((e) =>
    LEDGER_COLUMNS.map((c) => {
      const v = c.value(e, words);
      return c.kind === 'instant' && typeof v === 'string' ? tokyoDateTime(v) : v;
    }),
  );
  const amountAt = LEDGER_COLUMNS.findIndex((c) => c.key === 'amount');
  const footer: CsvCell[] = LEDGER_COLUMNS.map((_, i) => (i === 0 ? t('exports.totalRow') : i === amountAt ? countedTotal(entries) : null));
  return encodeCsv(ledgerHeader(t), rows, { encoding, footer: [footer], recordOf: (i) => (entries[i] ? `#${entries[i].disbursementId}` : null) });
}

