import type { Db, Tx } from '../../../db/client.js';
import type { Actor } from '../actor.js';
import { computeSummary, type Summary } from '../figures.js';
import { resolveReportScope, type ReportQuery } from '../figures/scope.js';
import { allRows } from '../figures/sql.js';
import { listLedgerEntries, type LedgerEntry } from './ledger-rows.js';

/** What the 条件 sheet states: the filters as names, who made the file and when. */
export interface WorkbookConditions {
  from: string;
  to: string;
  organization: string | null;
  fund: string | null;
  /** A grant round filter (issue 14), by name; null when the file covers every record. */
  round: string | null;
  includePending: boolean;
  createdBy: string;
  createdAt: string;
}

export interface WorkbookData {
  conditions: WorkbookConditions;
  summary: Summary;
  /** Only for the ledger workbook. */
  entries: LedgerEntry[] | null;
}

/**
 * Everything a workbook shows, read in one snapshot (the worker's read transaction) through the
 * same figures code as the page: the summary for 条件 and the tables, the ledger lines if asked.
 */
export function collectWorkbookData(db: Db | Tx, actor: Actor, query: ReportQuery, options: { ledger: boolean; now: string }): WorkbookData {
  const scope = resolveReportScope(db, actor, query);
  const name = (sql: string, id: number | null) => (id === null ? null : (allRows<{ name: string }>(db, sql, [id])[0]?.name ?? null));
  return {
    conditions: {
      from: scope.from,
      to: scope.to,
      organization: name('SELECT name FROM organizations WHERE id = ?', scope.organizationId),
      fund: name('SELECT name FROM funds WHERE id = ?', scope.fundId),
      round: name('SELECT name FROM rounds WHERE id = ?', scope.roundId ?? null),
      includePending: scope.includePending,
      createdBy: actor.displayName,
      createdAt: options.now,
    },
    summary: computeSummary(db, actor, query),
    entries: options.ledger ? listLedgerEntries(db, actor, query, { withVoided: true }) : null,
  };
}
