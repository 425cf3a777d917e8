import type { Db, Tx } from '../../../db/client.js';
import { visibleOrganization, type Actor } from '../actor.js';
import { NotFound } from '../errors.js';
import { allRows } from './sql.js';

/** What a report is about (SPEC §4): an inclusive date range and optional filters. */
export interface ReportQuery {
  from: string;
  to: string;
  organizationId: number | null;
  fundId: number | null;
  includePending: boolean;
  /** Only the disbursements of one grant round (issue 14); absent = every record. */
  roundId?: number | null;
}

/** The query after the actor's scope is applied: the one filter every figure and export uses. */
export interface ReportScope {
  from: string;
  to: string;
  organizationId: number | null;
  fundId: number | null;
  includePending: boolean;
  roundId?: number | null;
}

/**
 * Apply the actor's scope: a supporter always reports on their own group; asking for another
 * group is the same 404 as a group that does not exist. Unknown filters are 404 too.
 */
export function resolveReportScope(db: Db | Tx, actor: Actor, query: ReportQuery): ReportScope {
  const own = visibleOrganization(actor);
  if (own !== null && query.organizationId !== null && query.organizationId !== own) throw new NotFound();
  const organizationId = own ?? query.organizationId;
  if (query.organizationId !== null && allRows(db, 'SELECT 1 FROM organizations WHERE id = ?', [query.organizationId]).length === 0) {
    throw new NotFound();
  }
  if (query.fundId !== null && allRows(db, 'SELECT 1 FROM funds WHERE id = ?', [query.fundId]).length === 0) throw new NotFound();
  const roundId = query.roundId ?? null;
  if (roundId !== null && allRows(db, 'SELECT 1 FROM rounds WHERE id = ?', [roundId]).length === 0) throw new NotFound();
  const scope: ReportScope = { from: query.from, to: query.to, organizationId, fundId: query.fundId, includePending: query.includePending };
  return roundId === null ? scope : { ...scope, roundId };
}

/**
 * The WHERE clause over the status/paid_on/organization/fund columns that both
 * disbursements and disbursement_lines carry, in the order of their figures indexes.
 * Statuses are constants, never user input; everything else is a bound parameter. A round filter
 * comes last so the leading index columns still bound the range scan.
 */
export function scopeWhere(
  scope: ReportScope,
  alias = '',
  options: { withVoided?: boolean; idColumn?: string } = {},
): { where: string; params: (string | number)[] } {
  const idColumn = options.idColumn ?? 'disbursement_id';
  const p = alias ? `${alias}.` : '';
  // The ledger also lists voided records (marked 取消) so an auditor sees corrections; figures never count them.
  const listed = ['approved', ...(scope.includePending ? ['pending'] : []), ...(options.withVoided ? ['voided'] : [])];
  const statuses = `(${listed.map((s) => `'${s}'`).join(', ')})`;
  let where = `${p}status IN ${statuses} AND ${p}paid_on BETWEEN ? AND ?`;
  const params: (string | number)[] = [scope.from, scope.to];
  if (scope.organizationId !== null) {
    where += ` AND ${p}organization_id = ?`;
    params.push(scope.organizationId);
  }
  if (scope.fundId !== null) {
    where += ` AND ${p}fund_id = ?`;
    params.push(scope.fundId);
  }
  if (scope.roundId !== undefined && scope.roundId !== null) {
    // idColumn: `id` on disbursements, `disbursement_id` on lines.
    where += ` AND ${p}${idColumn} IN (SELECT disbursement_id FROM round_entries WHERE round_id = ?)`;
    params.push(scope.roundId);
  }
  return { where, params };
}
