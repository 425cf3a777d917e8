import type { Db, Tx } from '../../db/client.js';
import type { Actor } from './actor.js';
import { resolveReportScope, scopeWhere, type ReportQuery, type ReportScope } from './figures/scope.js';
import { countCellCases, type CellCases } from './figures/cell-cases.js';
import { allRows, clientOf } from './figures/sql.js';
import { monthsBetween } from './periods.js';
import { confirmedOverlap } from './person-matches.js';
import { percentShares } from './shares.js';
import type { MethodFigure, PeopleFigure, Summary } from './figures/types.js';

export type { CellCases, ReportQuery, ReportScope };
export type { CategoryFigure, FundFigure, MethodFigure, MonthFigure, OrganizationFigure, PeopleFigure, Summary } from './figures/types.js';

const add = <K>(map: Map<K, number>, key: K, value: number) => map.set(key, (map.get(key) ?? 0) + value);

/**
 * SPEC §4, the one code path for every figure on a page or in an export: a handful of GROUP BY
 * queries over the figures indexes in one read transaction (a consistent snapshot), combined here
 * only as small aggregate rows. Synchronous; runs on the worker for routes (figures-pool.ts).
 * With `cellCases` it also counts the distinct cases behind each cell, for the public summary.
 */
export function computeSummary(db: Db | Tx, actor: Actor, query: ReportQuery): Summary;
export function computeSummary(db: Db | Tx, actor: Actor, query: ReportQuery, options: { cellCases: true }): SummaryWithCells;
export function computeSummary(db: Db | Tx, actor: Actor, query: ReportQuery, options: { cellCases?: boolean } = {}): Summary | SummaryWithCells {
  return inSnapshot(db, () => {
    const scope = resolveReportScope(db, actor, query);
    return options.cellCases ? summarizeWithCells(db, scope) : summarizeScope(db, scope);
  });
}

/** The same figures for a scope fixed without an actor (a share link, the demo script). */
export function computeScopeSummary(db: Db | Tx, scope: ReportScope): SummaryWithCells {
  return inSnapshot(db, () => summarizeWithCells(db, scope));
}

export type SummaryWithCells = Summary & { cellCases: CellCases };

function summarizeWithCells(db: Db | Tx, scope: ReportScope): SummaryWithCells {
  return { ...summarizeScope(db, scope), cellCases: countCellCases(db, scope) };
}

function inSnapshot<T>(db: Db | Tx, run: () => T): T {
  const client = clientOf(db);
  // Outside a transaction each query would see its own snapshot; a write landing in between could
  // make the figures disagree with each other.
  return client.inTransaction ? run() : client.transaction(run)();
}

/**
 * The SQL of every figure for a scope, in one place: summarizeScope runs it, and the benchmark
 * runs the same text on a bare connection to measure what the app adds on top.
 * INDEXED BY pins the figures indexes: with an organization filter the planner would otherwise
 * pick the (organization, submitted_at) index and read every row of that group from the table.
 */
export function figureQueries(
  scope: ReportScope,
): Record<keyof Omit<Rows, 'categories' | 'organizations' | 'funds' | 'confirmedPairs'>, string> & { params: (string | number)[] } {
  const { where: lineWhere, params } = scopeWhere(scope);
  const { where } = scopeWhere(scope, '', { idColumn: 'id' });
  return {
    params,
    // Lines, covering range scans of lines_figures_idx. A GROUP BY costs with its number of groups, so
    // fund × category (a few dozen) and organization (hundreds) are cheaper apart than together;
    // per day streams in index order with no sort at all.
    lineFundCategory: `SELECT fund_id AS fund, category_id AS categoryId, sum(amount) AS amount, count(*) AS lines
       FROM disbursement_lines INDEXED BY lines_figures_idx WHERE ${lineWhere} GROUP BY fund_id, category_id`,
    lineOrganization: `SELECT organization_id AS org, sum(amount) AS amount
       FROM disbursement_lines INDEXED BY lines_figures_idx WHERE ${lineWhere} GROUP BY organization_id`,
    lineDay: `SELECT paid_on AS day, sum(amount) AS amount
       FROM disbursement_lines INDEXED BY lines_figures_idx WHERE ${lineWhere} GROUP BY paid_on`,
    // Disbursements: のべ件数 and のべ人数 per day (streams in index order, no sort) …
    disbursementDay: `SELECT paid_on AS day, count(*) AS n, sum(people_covered) AS people
       FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY paid_on`,
    // … and per organization × fund × method (method is not in the index: one pass of row reads).
    disbursementOrgFundMethod: `SELECT organization_id AS org, fund_id AS fund, method, count(*) AS n, sum(people_covered) AS people
       FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY organization_id, fund_id, method`,
    // Each distinct case once with its largest people covered (実人数), then by case attribute.
    caseProfile: `SELECT coalesce(c.residence_status, 'unknown') AS residenceStatus, coalesce(c.nationality, 'unknown') AS nationality,
              count(*) AS cases, sum(x.peak) AS peak, sum(x.n) AS n, sum(x.people) AS people
       FROM (SELECT case_id, max(people_covered) AS peak, count(*) AS n, sum(people_covered) AS people
             FROM disbursements INDEXED BY disbursements_figures_idx WHERE ${where} GROUP BY case_id) AS x
       JOIN cases AS c ON c.id = x.case_id
       GROUP BY residenceStatus, nationality`,
    // Records submitted over a fund × category cap with a reason (issue 14 §2).
    // Cases of confirmed same-person pairs (issue 14 ★), with their peak people covered.
    confirmedPeaks: `SELECT case_id AS caseId, max(people_covered) AS peak FROM disbursements INDEXED BY disbursements_figures_idx
       WHERE ${where} AND case_id IN (SELECT case_a FROM person_match_decisions WHERE decision = 'same'
                                      UNION SELECT case_b FROM person_match_decisions WHERE decision = 'same')
       GROUP BY case_id`,
    overCap: `SELECT count(*) AS n FROM disbursements INDEXED BY disbursements_figures_idx
       WHERE ${where} AND id IN (SELECT disbursement_id FROM disbursement_flags WHERE kind = 'over_cap')`,
  };
}

export function summarizeScope(db: Db | Tx, scope: ReportScope): Summary {
  const q = figureQueries(scope);
  const rows: Rows = {
    lineFundCategory: allRows(db, q.lineFundCategory, q.params),
    lineOrganization: allRows(db, q.lineOrganization, q.params),
    lineDay: allRows(db, q.lineDay, q.params),
    disbursementDay: allRows(db, q.disbursementDay, q.params),
    disbursementOrgFundMethod: allRows(db, q.disbursementOrgFundMethod, q.params),
    caseProfile: allRows(db, q.caseProfile, q.params),
    overCap: allRows(db, q.overCap, q.params),
    confirmedPeaks: allRows(db, q.confirmedPeaks, q.params),
    confirmedPairs: allRows(db, "SELECT case_a AS a, case_b AS b FROM person_match_decisions WHERE decision = 'same' ORDER BY id", []),
    categories: allRows(db, 'SELECT id, code, label_ja AS labelJa, label_en AS labelEn FROM categories ORDER BY sort_order, id', []),
    organizations: allRows(db, 'SELECT id, name FROM organizations', []),
    funds: allRows(db, 'SELECT id, name, budget FROM funds', []),
  };
  return assemble(scope, rows);
}

interface Rows {
  lineFundCategory: { fund: number; categoryId: number; amount: number; lines: number }[];
  lineOrganization: { org: number; amount: number }[];
  lineDay: { day: string; amount: number }[];
  disbursementDay: { day: string; n: number; people: number }[];
  disbursementOrgFundMethod: { org: number; fund: number; method: string; n: number; people: number }[];
  caseProfile: { residenceStatus: string; nationality: string; cases: number; peak: number; n: number; people: number }[];
  overCap: { n: number }[];
  confirmedPeaks: { caseId: number; peak: number }[];
  confirmedPairs: { a: number; b: number }[];
  categories: { id: number; code: string; labelJa: string; labelEn: string }[];
  organizations: { id: number; name: string }[];
  funds: { id: number; name: string; budget: number | null }[];
}

function assemble(scope: ReportScope, rows: Rows): Summary {
  const categoryAmount = new Map<number, number>();
  const categoryLines = new Map<number, number>();
  const monthAmount = new Map<string, number>();
  const orgAmount = new Map<number, number>();
  const fundAmount = new Map<number, number>();
  for (const r of rows.lineFundCategory) {
    add(categoryAmount, r.categoryId, r.amount);
    add(categoryLines, r.categoryId, r.lines);
    add(fundAmount, r.fund, r.amount);
  }
  for (const r of rows.lineOrganization) add(orgAmount, r.org, r.amount);
  for (const r of rows.lineDay) add(monthAmount, r.day.slice(0, 7), r.amount);
  const monthCount = new Map<string, number>();
  const orgCount = new Map<number, number>();
  const fundCount = new Map<number, number>();
  let disbursements = 0;
  let peopleCumulative = 0;
  for (const r of rows.disbursementDay) {
    add(monthCount, r.day.slice(0, 7), r.n);
    disbursements += r.n;
    peopleCumulative += r.people;
  }
  const methods = new Map<string, MethodFigure>();
  for (const r of rows.disbursementOrgFundMethod) {
    add(orgCount, r.org, r.n);
    add(fundCount, r.fund, r.n);
    const m = methods.get(r.method) ?? { method: r.method, disbursements: 0, peopleCumulative: 0 };
    m.disbursements += r.n;
    m.peopleCumulative += r.people;
    methods.set(r.method, m);
  }

  const amounts = rows.categories.map((c) => categoryAmount.get(c.id) ?? 0);
  const shares = percentShares(amounts);
  const byCategory = rows.categories.map((c, i) => ({
    code: c.code,
    amount: amounts[i]!,
    share: shares[i]!,
    lines: categoryLines.get(c.id) ?? 0,
    labelJa: c.labelJa,
    labelEn: c.labelEn,
  }));
  const total = amounts.reduce((sum, a) => sum + a, 0);

  const byMonth = monthsBetween(scope.from, scope.to).map((month) => ({
    month,
    amount: monthAmount.get(month) ?? 0,
    disbursements: monthCount.get(month) ?? 0,
  }));
  const byAmount = <T extends { id: number; amount: number }>(a: T, b: T) => b.amount - a.amount || a.id - b.id;
  const byOrganization = rows.organizations
    .filter((o) => orgAmount.has(o.id) || orgCount.has(o.id))
    .map((o) => ({ id: o.id, name: o.name, amount: orgAmount.get(o.id) ?? 0, disbursements: orgCount.get(o.id) ?? 0 }))
    .sort(byAmount);
  const byFund = rows.funds
    .filter((f) => fundAmount.has(f.id) || fundCount.has(f.id))
    .map((f) => ({ id: f.id, name: f.name, amount: fundAmount.get(f.id) ?? 0, disbursements: fundCount.get(f.id) ?? 0, budget: f.budget }))
    .sort(byAmount);

  const byMethod = [...methods.values()].sort((a, b) => b.disbursements - a.disbursements || (a.method < b.method ? -1 : 1));

  const byResidence = new Map<string, PeopleFigure>();
  const byNationality = new Map<string, PeopleFigure>();
  let cases = 0;
  let peopleUnique = 0;
  for (const r of rows.caseProfile) {
    cases += r.cases;
    peopleUnique += r.peak;
    for (const [map, key] of [
      [byResidence, r.residenceStatus],
      [byNationality, r.nationality],
    ] as const) {
      const f = map.get(key) ?? { key, cases: 0, peopleUnique: 0, disbursements: 0, peopleCumulative: 0 };
      f.cases += r.cases;
      f.peopleUnique += r.peak;
      f.disbursements += r.n;
      f.peopleCumulative += r.people;
      map.set(key, f);
    }
  }
  const byPeople = (a: PeopleFigure, b: PeopleFigure) => b.peopleUnique - a.peopleUnique || b.cases - a.cases || (a.key < b.key ? -1 : 1);

  return {
    period: { from: scope.from, to: scope.to },
    total,
    disbursements,
    peopleCumulative,
    cases,
    peopleUnique,
    byCategory,
    byMonth,
    byOrganization,
    byFund,
    byMethod,
    byResidenceStatus: [...byResidence.values()].sort(byPeople),
    byNationality: [...byNationality.values()].sort(byPeople),
    recordsOverCap: rows.overCap[0]?.n ?? 0,
    peopleUniqueAcrossGroups: peopleUnique - confirmedOverlap(rows.confirmedPairs, new Map(rows.confirmedPeaks.map((r) => [r.caseId, r.peak]))),
    scope: {
      organizationId: scope.organizationId,
      fundId: scope.fundId,
      includePending: scope.includePending,
      ...(scope.roundId ? { roundId: scope.roundId } : {}),
    },
  };
}
