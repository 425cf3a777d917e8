import { DEFAULT_FUND_NAME } from '../../db/reference-data.js';
import { addDays, atTokyoHour, fiscalYearOf } from './dates.js';
import type { SeededRandom } from './random.js';
import { METHOD_WEIGHTS, OTHER_NOTES, PROVIDER_PAYEES } from './reference.js';
import type { DemoTargets } from './targets.js';
import type { CaseDraft, PlannedCase, PlannedDisbursement, PlannedFund, PlannedLock, PlannedUser, VisitDraft } from './types.js';

const at = (rng: SeededRandom, date: string) => atTokyoHour(date, rng.int(9, 19), rng.int(0, 59));
const emailsOf = (users: readonly PlannedUser[], test: (u: PlannedUser) => boolean) => users.filter(test).map((u) => u.email);

/**
 * Opening and closing dates from each case's disbursements, then codes as the app gives them:
 * ORG-YYYY-NNNN, numbered per group and year in the order the cases were opened.
 */
export function finishCases(
  rng: SeededRandom,
  drafts: readonly CaseDraft[],
  visits: readonly VisitDraft[],
  users: readonly PlannedUser[],
  targets: DemoTargets,
): Map<CaseDraft, PlannedCase> {
  const dates = new Map<CaseDraft, string[]>();
  for (const v of visits) dates.set(v.case, [...(dates.get(v.case) ?? []), v.paidOn]);
  const quietSince = addDays(targets.to, -120);
  const opened = drafts.map((draft, index) => {
    const own = [...(dates.get(draft) ?? [])].sort();
    const first = own[0]!;
    const last = own[own.length - 1]!;
    const openedOn = addDays(first, -rng.int(0, 21));
    const closed = draft.hasRepatriation || (last < quietSince && rng.chance(0.75));
    const closedOn = closed ? addDays(last, draft.hasRepatriation ? rng.int(3, 10) : rng.int(7, 45)) : null;
    const createdBy = rng.pick(emailsOf(users, (u) => u.role === 'supporter' && u.orgCode === draft.orgCode));
    return { draft, index, openedOn, closedOn, createdBy, createdAt: at(rng, openedOn) };
  });
  opened.sort((a, b) => (a.openedOn === b.openedOn ? a.index - b.index : a.openedOn < b.openedOn ? -1 : 1));
  const sequences = new Map<string, number>();
  const planned = new Map<CaseDraft, PlannedCase>();
  for (const o of opened) {
    const year = Number(o.openedOn.slice(0, 4));
    const seq = (sequences.get(`${o.draft.orgCode}-${year}`) ?? 0) + 1;
    sequences.set(`${o.draft.orgCode}-${year}`, seq);
    const { lastMonth: _lastMonth, hasRepatriation: _repatriation, ...profile } = o.draft;
    planned.set(o.draft, {
      ...profile,
      code: `${o.draft.orgCode}-${year}-${String(seq).padStart(4, '0')}`,
      codeYear: year,
      codeSeq: seq,
      status: o.closedOn ? 'closed' : 'open',
      openedOn: o.openedOn,
      closedOn: o.closedOn,
      createdBy: o.createdBy,
      createdAt: o.createdAt,
    });
  }
  return planned;
}

/** The default fund plus one grant per Japanese fiscal year the period touches. */
export function planFunds(targets: DemoTargets): (PlannedFund & { fiscalYear: number | null })[] {
  const funds: (PlannedFund & { fiscalYear: number | null })[] = [
    { name: DEFAULT_FUND_NAME, budget: null, startsOn: null, endsOn: null, isDefault: true, fiscalYear: null },
  ];
  for (let fy = fiscalYearOf(targets.from); fy <= fiscalYearOf(targets.to); fy += 1) {
    funds.push({ name: `緊急支援助成金（${fy}年度）`, budget: null, startsOn: `${fy}-04-01`, endsOn: `${fy + 1}-03-31`, isDefault: false, fiscalYear: fy });
  }
  return funds;
}

/** Who submitted and decided what, when, how it was paid and from which fund. */
export function finishDisbursements(
  rng: SeededRandom,
  visits: readonly VisitDraft[],
  cases: ReadonlyMap<CaseDraft, PlannedCase>,
  users: readonly PlannedUser[],
  funds: readonly (PlannedFund & { fiscalYear: number | null })[],
): PlannedDisbursement[] {
  const coordinators = emailsOf(users, (u) => u.role === 'coordinator');
  const planned = visits.map((v, index) => {
    const theCase = cases.get(v.case)!;
    const submittedBy = rng.pick(emailsOf(users, (u) => u.role === 'supporter' && u.orgCode === theCase.orgCode));
    const submittedOn = addDays(v.paidOn, rng.int(0, 3));
    const decidedOn = v.status === 'pending' ? null : addDays(submittedOn, v.status === 'withdrawn' ? rng.int(1, 2) : rng.int(1, 6));
    const decidedBy = v.status === 'pending' ? null : v.status === 'withdrawn' ? submittedBy : rng.pick(coordinators);
    const voidedOn = v.status === 'voided' ? addDays(decidedOn!, rng.int(2, 20)) : null;
    const primary = v.lines.reduce((a, b) => (b.amount > a.amount ? b : a)).category;
    const method = rng.weighted(METHOD_WEIGHTS[primary]);
    const grant = funds.find((f) => f.fiscalYear === fiscalYearOf(v.paidOn));
    const note = v.lines.some((l) => l.category === 'other')
      ? rng.pick(OTHER_NOTES)
      : primary === 'shelter' && rng.chance(0.4)
        ? `${Number(v.paidOn.slice(5, 7))}月分の家賃`
        : null;
    const submittedAt = at(rng, submittedOn);
    const decidedAt = decidedOn ? at(rng, decidedOn) : null;
    const voidedAt = voidedOn ? at(rng, voidedOn) : null;
    const disbursement: PlannedDisbursement = {
      caseCode: theCase.code,
      paidOn: v.paidOn,
      fundName: grant && rng.chance(0.6) ? grant.name : funds.find((f) => f.isDefault)!.name,
      method,
      peopleCovered: v.peopleCovered,
      payee: method === 'paid_to_provider' ? PROVIDER_PAYEES[primary] : null,
      note,
      status: v.status,
      version: v.status === 'pending' ? 1 : v.status === 'voided' ? 3 : 2,
      submittedBy,
      submittedAt,
      updatedAt: voidedAt ?? decidedAt ?? submittedAt,
      decidedBy,
      decidedAt,
      rejectReason: v.rejectReason ?? null,
      voidedBy: voidedOn ? rng.pick(coordinators) : null,
      voidedAt,
      voidReason: v.voidReason ?? null,
      lines: v.lines.map((l) => ({ ...l })),
      counted: v.counted,
    };
    return { disbursement, index };
  });
  planned.sort((a, b) =>
    a.disbursement.submittedAt === b.disbursement.submittedAt ? a.index - b.index : a.disbursement.submittedAt < b.disbursement.submittedAt ? -1 : 1,
  );
  return planned.map((p) => p.disbursement);
}

/** Grant budgets a little above what was spent from them, in round ¥100,000. */
export function setBudgets(funds: PlannedFund[], disbursements: readonly PlannedDisbursement[]): void {
  for (const fund of funds) {
    if (fund.isDefault) continue;
    const spent = disbursements
      .filter((d) => d.fundName === fund.name && d.status === 'approved')
      .reduce((sum, d) => sum + d.lines.reduce((s, l) => s + l.amount, 0), 0);
    fund.budget = Math.max(1, Math.ceil((spent * 1.15) / 100_000)) * 100_000;
  }
}

/** The first fiscal year of the period, closed and locked some weeks after it ended. */
export function planLocks(targets: DemoTargets, lockedBy: string): PlannedLock[] {
  const fy = fiscalYearOf(targets.from);
  const endsOn = `${fy + 1}-03-31`;
  const lockedOn = addDays(endsOn, 75);
  if (lockedOn > targets.to) return [];
  return [{ startsOn: `${fy}-04-01`, endsOn, note: `${fy}年度の決算確定（監査済み）`, lockedBy, lockedAt: atTokyoHour(lockedOn, 10, 0) }];
}
