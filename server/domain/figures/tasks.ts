import type { Db, Tx } from '../../../db/client.js';
import type { Locale } from '../../../db/schema.js';
import type { Actor } from '../actor.js';
import { buildLedgerCsv, buildSummaryCsv, type CsvEncoding, type CsvOutcome } from '../csv-export.js';
import { buildFreeeCsv, buildMoneyForwardCsv } from '../exports/accounting-csv.js';
import { collectWorkbookData, type WorkbookData } from '../exports/workbook-data.js';
import { renderLedgerWorkbook, renderSummaryWorkbook, type XlsxFile } from '../exports/workbooks.js';
import { computeScopeSummary, computeSummary, type Summary } from '../figures.js';
import { discloseSummary, type PublicSummary } from './disclosure.js';
import type { ReportQuery, ReportScope } from './scope.js';
import { clientOf } from './sql.js';

type CsvKind = 'summaryCsv' | 'ledgerCsv' | 'freeeCsv' | 'moneyforwardCsv';
type XlsxKind = 'ledgerXlsx' | 'summaryXlsx';

/** Work the report routes hand to the figures worker: plain data in, plain data out. */
export type FiguresTask =
  | { kind: 'summary'; actor: Actor; query: ReportQuery }
  | { kind: 'publicSummary'; actor: Actor; query: ReportQuery; threshold: number }
  | { kind: 'sharedSummary'; scope: ReportScope; threshold: number }
  | { kind: CsvKind; actor: Actor; query: ReportQuery; locale: Locale; encoding: CsvEncoding }
  | { kind: XlsxKind; actor: Actor; query: ReportQuery; locale: Locale; now: string };

export type FiguresResult<T extends FiguresTask> = T extends { kind: 'summary' }
  ? Summary
  : T extends { kind: 'publicSummary' | 'sharedSummary' }
    ? PublicSummary
    : T extends { kind: XlsxKind }
      ? XlsxFile
      : CsvOutcome;

/** What the read transaction produced: final for figures and CSV, data to render for workbooks. */
export type Collected = { done: unknown } | { render: XlsxKind; data: WorkbookData; locale: Locale };

/**
 * Phase one, synchronous, inside one read snapshot: every database read of the task. A workbook
 * is written afterwards (exceljs is asynchronous, and a better-sqlite3 transaction cannot await).
 */
export function collectFiguresTask(db: Db | Tx, task: FiguresTask): Collected {
  switch (task.kind) {
    case 'summary':
      return { done: computeSummary(db, task.actor, task.query) };
    case 'publicSummary':
      return { done: discloseSummary(computeSummary(db, task.actor, task.query, { cellCases: true }), task.threshold) };
    case 'sharedSummary':
      return { done: discloseSummary(computeScopeSummary(db, task.scope), task.threshold) };
    case 'summaryCsv':
      return { done: buildSummaryCsv(computeSummary(db, task.actor, task.query), task.locale, task.encoding) };
    case 'ledgerCsv':
      return { done: buildLedgerCsv(db, task.actor, task.query, task.locale, task.encoding) };
    case 'freeeCsv':
      return { done: buildFreeeCsv(db, task.actor, task.query, task.locale, task.encoding) };
    case 'moneyforwardCsv':
      return { done: buildMoneyForwardCsv(db, task.actor, task.query, task.locale, task.encoding) };
    case 'ledgerXlsx':
    case 'summaryXlsx':
      return {
        render: task.kind,
        locale: task.locale,
        data: collectWorkbookData(db, task.actor, task.query, { ledger: task.kind === 'ledgerXlsx', now: task.now }),
      };
  }
}

/** Phase two, outside the transaction: write the workbook, if any. */
export async function finishFiguresTask(collected: Collected): Promise<unknown> {
  if ('done' in collected) return collected.done;
  return collected.render === 'ledgerXlsx' ? renderLedgerWorkbook(collected.data, collected.locale) : renderSummaryWorkbook(collected.data, collected.locale);
}

/** The same functions whether they run on the worker or (for an in-memory database) in process. */
export async function runFiguresTask<T extends FiguresTask>(db: Db | Tx, task: T): Promise<FiguresResult<T>> {
  const client = clientOf(db);
  const collect = () => collectFiguresTask(db, task);
  const collected = client.inTransaction ? collect() : client.transaction(collect)();
  return (await finishFiguresTask(collected)) as FiguresResult<T>;
}
