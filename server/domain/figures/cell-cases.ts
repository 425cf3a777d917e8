import type { Db, Tx } from '../../../db/client.js';
import { scopeWhere, type ReportScope } from './scope.js';
import { allRows } from './sql.js';

/**
 * Distinct cases behind each cell of the published breakdowns (SPEC §8): a cell is published only
 * when enough different households make it up, whatever its number of disbursements.
 * Keyed like the summary's breakdowns: category code, YYYY-MM, organization id, fund id.
 */
export interface CellCases {
  byCategory: Record<string, number>;
  byMonth: Record<string, number>;
  byOrganization: Record<number, number>;
  byFund: Record<number, number>;
}

/**
 * Month, organization and fund read the covering disbursements index only; the category count
 * reads the lines' case_id from the table (not in lines_figures_idx), so it is asked for only by
 * the public summary, never by the internal report page.
 */
export function cellCaseQueries(scope: ReportScope): { params: (string | number)[]; sql: Record<keyof CellCases, string> } {
  const { where, params } = scopeWhere(scope);
  return {
    params,
    sql: {
      byCategory: `SELECT l.category_id AS key, count(DISTINCT l.case_id) AS n
        FROM disbursement_lines AS l INDEXED BY lines_figures_idx WHERE ${scopeWhere(scope, 'l').where} GROUP BY l.category_id`,
      byMonth: `SELECT substr(paid_on, 1, 7) AS key, count(DISTINCT case_id) AS n
        FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY key`,
      byOrganization: `SELECT organization_id AS key, count(DISTINCT case_id) AS n
        FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY organization_id`,
      byFund: `SELECT fund_id AS key, count(DISTINCT case_id) AS n
        FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY fund_id`,
    },
  };
}

export function countCellCases(db: Db | Tx, scope: ReportScope): CellCases {
  const q = cellCaseQueries(scope);
  const read = (text: string) => {
    const out: Record<string, number> = {};
    for (const r of allRows<{ key: string | number; n: number }>(db, text, q.params)) out[String(r.key)] = r.n;
    return out;
  };
  const categoryCodes = new Map(allRows<{ id: number; code: string }>(db, 'SELECT id, code FROM categories', []).map((c) => [String(c.id), c.code]));
  const byCategory: Record<string, number> = {};
  for (const [id, n] of Object.entries(read(q.sql.byCategory))) byCategory[categoryCodes.get(id) ?? id] = n;
  return { byCategory, byMonth: read(q.sql.byMonth), byOrganization: read(q.sql.byOrganization), byFund: read(q.sql.byFund) };
}
