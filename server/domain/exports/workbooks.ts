import type { Locale } from '../../../db/schema.js';
import { translator, type Translate } from '../../i18n/index.js';
import { countedTotal, LEDGER_COLUMNS, ledgerHeader, ledgerWords } from './ledger-columns.js';
import type { WorkbookData } from './workbook-data.js';
import { addTableSheet, dateCell, startWorkbook, typedCell, type CellValue, type WorkbookWriter } from './workbook-sheets.js';
import { dataLocale } from '../../i18n/languages.js';

/** An XLSX file and how many data rows its main sheet holds (for the audit event). */
export interface XlsxFile {
  body: Uint8Array;
  rows: number;
}

/** 条件: what the file is, so an accountant needs no word of explanation. Values in column B. */
function addConditionsSheet(workbook: WorkbookWriter, t: Translate, data: WorkbookData, file: 'ledger' | 'summary'): void {
  const c = data.conditions;
  const s = data.summary;
  const rows: [string, CellValue, string?][] = [
    [t('exports.cond.file'), t(`exports.cond.file.${file}`)],
    [t('exports.cond.period'), t('exports.cond.periodValue', { from: c.from, to: c.to })],
    [t('exports.cond.organization'), c.organization ?? t('exports.cond.allOrganizations')],
    [t('exports.cond.fund'), c.fund ?? t('exports.cond.allFunds')],
    [t('exports.cond.basis'), t(c.includePending ? 'exports.cond.basis.withPending' : 'exports.cond.basis.approved')],
    [t('exports.cond.total'), s.total, '#,##0'],
    [t('exports.cond.disbursements'), s.disbursements, '#,##0'],
    [t('exports.cond.peopleCumulative'), s.peopleCumulative, '#,##0'],
    [t('exports.cond.cases'), s.cases, '#,##0'],
    [t('exports.cond.peopleUnique'), s.peopleUnique, '#,##0'],
    [t('exports.cond.createdAt'), typedCell('instant', c.createdAt), 'yyyy/mm/dd hh:mm:ss'],
    [t('exports.cond.createdBy'), c.createdBy],
  ];
  // A file limited to one grant round says so: its figures are that round's, not the period's.
  if (c.round !== null) rows.splice(4, 0, [t('exports.cond.round'), c.round]);
  if (file === 'ledger') rows.splice(c.round === null ? 5 : 6, 0, ['', t('exports.cond.voided')]);
  const sheet = workbook.addWorksheet(t('exports.sheet.conditions'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [{ width: 24 }, { width: 60 }];
  const header = sheet.addRow([t('exports.col.item'), t('exports.col.value')]);
  header.font = { bold: true };
  header.commit();
  for (const [label, value, numFmt] of rows) {
    const row = sheet.addRow([label, value]);
    if (numFmt) row.getCell(2).numFmt = numFmt;
    row.commit();
  }
  sheet.commit();
}

const newWorkbook = (data: WorkbookData) => startWorkbook(data.conditions.createdBy, new Date(data.conditions.createdAt));

/** ledger.xlsx: 明細台帳 (voided lines listed as 取消, totals only what is counted), then 条件. */
export async function renderLedgerWorkbook(data: WorkbookData, locale: Locale): Promise<XlsxFile> {
  const t = translator(locale);
  const words = ledgerWords(t, locale);
  const entries = data.entries ?? [];
  const { workbook, bytes } = newWorkbook(data);
  const header = ledgerHeader(t);
  const rows = entries.map((e) => LEDGER_COLUMNS.map((c) => typedCell(c.kind, c.value(e, words))));
  const footer: CellValue[] = LEDGER_COLUMNS.map((c, i) => (i === 0 ? t('exports.totalRow') : c.key === 'amount' ? countedTotal(entries) : null));
  addTableSheet(
    workbook,
    t('exports.sheet.ledger'),
    LEDGER_COLUMNS.map((c, i) => ({ header: header[i]!, kind: c.kind })),
    rows,
    [footer],
  );
  addConditionsSheet(workbook, t, data, 'ledger');
  return { body: await bytes(), rows: entries.length };
}

/** summary.xlsx: 条件 first, then by category, month, organization and fund. */
export async function renderSummaryWorkbook(data: WorkbookData, locale: Locale): Promise<XlsxFile> {
  const t = translator(locale);
  const s = data.summary;
  const { workbook, bytes } = newWorkbook(data);
  addConditionsSheet(workbook, t, data, 'summary');
  const col = (key: string, kind: 'text' | 'yen' | 'int' | 'percent' | 'month') => ({ header: t(`exports.col.${key}`), kind });
  const total = t('reports.total');
  addTableSheet(
    workbook,
    t('exports.sheet.byCategory'),
    [col('category', 'text'), col('amount', 'yen'), col('share', 'percent'), col('lines', 'int')],
    s.byCategory.map((c) => [dataLocale(locale) === 'ja' ? c.labelJa : c.labelEn, c.amount, c.share / 100, c.lines]),
    [[total, s.total, s.total > 0 ? 1 : 0, s.byCategory.reduce((n, c) => n + c.lines, 0)]],
  );
  addTableSheet(
    workbook,
    t('exports.sheet.byMonth'),
    [col('month', 'month'), col('amount', 'yen'), col('disbursements', 'int')],
    s.byMonth.map((m) => [dateCell(m.month), m.amount, m.disbursements]),
    [[total, s.total, s.disbursements]],
  );
  addTableSheet(
    workbook,
    t('exports.sheet.byOrganization'),
    [col('organization', 'text'), col('amount', 'yen'), col('disbursements', 'int')],
    s.byOrganization.map((o) => [o.name, o.amount, o.disbursements]),
    [[total, s.total, s.disbursements]],
  );
  addTableSheet(
    workbook,
    t('exports.sheet.byFund'),
    [col('fund', 'text'), col('amount', 'yen'), col('disbursements', 'int'), col('budget', 'yen')],
    s.byFund.map((f) => [f.name, f.amount, f.disbursements, f.budget]),
    [[total, s.total, s.disbursements, null]],
  );
  return { body: await bytes(), rows: s.byCategory.length };
}
