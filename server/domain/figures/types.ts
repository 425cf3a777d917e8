// The shape of a summary: SPEC §6 summary.json, plus the breakdowns the report page shows.

export interface CategoryFigure {
  code: string;
  amount: number;
  /** Percent to one decimal; the shares of a summary sum to exactly 100.0 (or all 0). */
  share: number;
  lines: number;
  labelJa: string;
  labelEn: string;
}
export interface MonthFigure {
  month: string;
  amount: number;
  disbursements: number;
}
export interface OrganizationFigure {
  id: number;
  name: string;
  amount: number;
  disbursements: number;
}
export interface FundFigure {
  id: number;
  name: string;
  amount: number;
  disbursements: number;
  budget: number | null;
}
/**
 * No amount by method: lines carry no copy of the method, so it would cost a join of every line to
 * its disbursement (about +40% of the whole summary at 1M lines).
 */
export interface MethodFigure {
  method: string;
  disbursements: number;
  peopleCumulative: number;
}
/** Counts of people and cases by a case attribute (residence status, nationality). */
export interface PeopleFigure {
  key: string;
  cases: number;
  peopleUnique: number;
  disbursements: number;
  peopleCumulative: number;
}

/** SPEC §6 summary.json, plus the breakdowns the page shows. */
export interface Summary {
  period: { from: string; to: string };
  total: number;
  disbursements: number;
  peopleCumulative: number;
  cases: number;
  peopleUnique: number;
  byCategory: CategoryFigure[];
  byMonth: MonthFigure[];
  byOrganization: OrganizationFigure[];
  byFund: FundFigure[];
  byMethod: MethodFigure[];
  byResidenceStatus: PeopleFigure[];
  byNationality: PeopleFigure[];
  /** Disbursements in scope submitted over a cap (with a reason): issue 14 §2. */
  recordsOverCap: number;
  /** 実人数 with each person a coordinator confirmed as the same across groups counted once. */
  peopleUniqueAcrossGroups: number;
  scope: { organizationId: number | null; fundId: number | null; includePending: boolean; roundId?: number };
}
