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
}

/** The query after the actor's scope is applied: the one filter every figure and export uses. */
export interface ReportScope {
  from: string;
  to: string;
  organizationId: number | null;
  fundId: number | null;
  includePending: boolean;
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
  return { from: query.from, to: query.to, organizationId, fundId: query.fundId, includePending: query.includePending };
}

/**
 * The WHERE clause over the status/paid_on/organization/fund columns that both
 * disbursements and disbursement_lines carry, in the order of their figures indexes.
 * Statuses are constants, never user input; everything else is a bound parameter.
 */
export function scopeWhere(scope: ReportScope, alias = '', options: { withVoided?: boolean } = {}): { where: string; params: (string | number)[] } {
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
  return { where, params };
}
