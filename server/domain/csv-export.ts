import { stringify } from 'csv-stringify/sync';
import type { Db, Tx } from '../../db/client.js';
import type { Locale } from '../../db/schema.js';
import { translator } from '../i18n/index.js';
import type { Actor } from './actor.js';
import { resolveReportScope, scopeWhere, type ReportQuery } from './figures/scope.js';
import { clientOf, prepared } from './figures/sql.js';
import type { Summary } from './figures.js';

export type CsvCell = string | number | null;

/** What an export produced: the bytes (UTF-8 with BOM, CRLF) and how many data rows they hold. */
export interface CsvFile {
  body: Uint8Array;
  rows: number;
}

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

/** summary.csv: the category table of the summary, then the total row. */
export function buildSummaryCsv(summary: Summary, locale: Locale): CsvFile {
  const t = translator(locale);
  const header = ['code', 'category', 'amount', 'share', 'lines'].map((k) => t(`reports.csv.${k}`));
  const rows: CsvCell[][] = summary.byCategory.map((c) => [c.code, locale === 'ja' ? c.labelJa : c.labelEn, c.amount, c.share.toFixed(1), c.lines]);
  const file = toCsv(header, rows);
  const totalShare = summary.total > 0 ? '100.0' : '0.0';
  const lines = summary.byCategory.reduce((sum, c) => sum + c.lines, 0);
  const footer = Buffer.from(stringify([['total', t('reports.total'), summary.total, totalShare, lines].map(neutralizeCell)], OPTIONS), 'utf8');
  return { body: joinBytes([file.body, footer]), rows: file.rows };
}

interface LedgerRow {
  disbursementId: number;
  position: number;
  caseCode: string;
  organization: string;
  paidOn: string;
  categoryCode: string;
  categoryJa: string;
  categoryEn: string;
  amount: number;
  fund: string;
  method: string;
  status: string;
  submittedAt: string;
  decidedAt: string | null;
  voidedAt: string | null;
}

/**
 * ledger.csv: one row per line of every disbursement the figures count for this query, so the
 * ledger's amounts add up to the summary's total. The case code only, never identity, never payee.
 */
export function buildLedgerCsv(db: Db | Tx, actor: Actor, query: ReportQuery, locale: Locale): CsvFile {
  const scope = resolveReportScope(db, actor, query);
  const { where, params } = scopeWhere(scope, 'l');
  const statement = prepared(
    clientOf(db),
    `SELECT l.disbursement_id AS disbursementId, l.position AS position, c.code AS caseCode, o.name AS organization,
            l.paid_on AS paidOn, k.code AS categoryCode, k.label_ja AS categoryJa, k.label_en AS categoryEn, l.amount AS amount,
            f.name AS fund, d.method AS method, d.status AS status, d.submitted_at AS submittedAt, d.decided_at AS decidedAt,
            d.voided_at AS voidedAt
     FROM disbursement_lines AS l INDEXED BY lines_figures_idx
     JOIN disbursements AS d ON d.id = l.disbursement_id
     JOIN cases AS c ON c.id = l.case_id
     JOIN organizations AS o ON o.id = l.organization_id
     JOIN categories AS k ON k.id = l.category_id
     JOIN funds AS f ON f.id = l.fund_id
     WHERE ${where}
     ORDER BY l.paid_on, l.disbursement_id, l.position`,
  );
  const t = translator(locale);
  const header = [
    'disbursementId',
    'line',
    'caseCode',
    'organization',
    'paidOn',
    'categoryCode',
    'category',
    'amount',
    'fund',
    'method',
    'status',
    'submittedAt',
    'decidedAt',
    'voidedAt',
  ].map((k) => t(`reports.csv.${k}`));
  function* rows(): Generator<CsvCell[]> {
    for (const r of statement.iterate(...params) as IterableIterator<LedgerRow>) {
      yield [
        r.disbursementId,
        r.position + 1,
        r.caseCode,
        r.organization,
        r.paidOn,
        r.categoryCode,
        locale === 'ja' ? r.categoryJa : r.categoryEn,
        r.amount,
        r.fund,
        r.method,
        r.status,
        r.submittedAt,
        r.decidedAt,
        r.voidedAt,
      ];
    }
  }
  return toCsv(header, rows());
}
