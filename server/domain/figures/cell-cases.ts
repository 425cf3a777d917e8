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
 * the public summary, never by the internal report page. `where` names only columns both tables carry.
 */
export function cellCaseQueries(where: string): Record<keyof CellCases | 'all', string> {
  return {
    all: `SELECT 'all' AS key, count(DISTINCT case_id) AS n FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where}`,
    byCategory: `SELECT category_id AS key, count(DISTINCT case_id) AS n
      FROM disbursement_lines INDEXED BY lines_figures_idx WHERE ${where} GROUP BY category_id`,
    byMonth: `SELECT substr(paid_on, 1, 7) AS key, count(DISTINCT case_id) AS n
      FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY key`,
    byOrganization: `SELECT organization_id AS key, count(DISTINCT case_id) AS n
      FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY organization_id`,
    byFund: `SELECT fund_id AS key, count(DISTINCT case_id) AS n
      FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY fund_id`,
  };
}

export function countCellCases(db: Db | Tx, scope: ReportScope): CellCases {
  const { where, params } = scopeWhere(scope);
  return countCellCasesWhere(db, where, params);
}

/** The same counts under any filter of the shared columns (share links check the days between two periods). */
export function countCellCasesWhere(db: Db | Tx, where: string, params: readonly (string | number)[]): CellCases & { all: number } {
  const q = cellCaseQueries(where);
  const read = (text: string) => {
    const out: Record<string, number> = {};
    for (const r of allRows<{ key: string | number; n: number }>(db, text, params)) out[String(r.key)] = r.n;
    return out;
  };
  const categoryCodes = new Map(allRows<{ id: number; code: string }>(db, 'SELECT id, code FROM categories', []).map((c) => [String(c.id), c.code]));
  const byCategory: Record<string, number> = {};
  for (const [id, n] of Object.entries(read(q.byCategory))) byCategory[categoryCodes.get(id) ?? id] = n;
  return { all: read(q.all).all ?? 0, byCategory, byMonth: read(q.byMonth), byOrganization: read(q.byOrganization), byFund: read(q.byFund) };
}
