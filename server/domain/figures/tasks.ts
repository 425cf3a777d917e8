import type { Db, Tx } from '../../../db/client.js';
import type { Locale } from '../../../db/schema.js';
import type { Actor } from '../actor.js';
import { buildLedgerCsv, buildSummaryCsv, type CsvFile } from '../csv-export.js';
import { computeScopeSummary, computeSummary, type Summary } from '../figures.js';
import { discloseSummary, type PublicSummary } from './disclosure.js';
import type { ReportQuery, ReportScope } from './scope.js';

/** Work the report routes hand to the figures worker: plain data in, plain data out. */
export type FiguresTask =
  | { kind: 'summary'; actor: Actor; query: ReportQuery }
  | { kind: 'publicSummary'; actor: Actor; query: ReportQuery; threshold: number }
  | { kind: 'sharedSummary'; scope: ReportScope; threshold: number }
  | { kind: 'summaryCsv'; actor: Actor; query: ReportQuery; locale: Locale }
  | { kind: 'ledgerCsv'; actor: Actor; query: ReportQuery; locale: Locale };

export type FiguresResult<T extends FiguresTask> = T extends { kind: 'summary' }
  ? Summary
  : T extends { kind: 'publicSummary' | 'sharedSummary' }
    ? PublicSummary
    : CsvFile;

/** The same functions whether they run on the worker or (for an in-memory database) in process. */
export function runFiguresTask<T extends FiguresTask>(db: Db | Tx, task: T): FiguresResult<T> {
  switch (task.kind) {
    case 'summary':
      return computeSummary(db, task.actor, task.query) as FiguresResult<T>;
    case 'publicSummary':
      return discloseSummary(computeSummary(db, task.actor, task.query, { cellCases: true }), task.threshold) as FiguresResult<T>;
    case 'sharedSummary':
      return discloseSummary(computeScopeSummary(db, task.scope), task.threshold) as FiguresResult<T>;
    case 'summaryCsv':
      return buildSummaryCsv(computeSummary(db, task.actor, task.query), task.locale) as FiguresResult<T>;
    case 'ledgerCsv':
      return buildLedgerCsv(db, task.actor, task.query, task.locale) as FiguresResult<T>;
  }
}
