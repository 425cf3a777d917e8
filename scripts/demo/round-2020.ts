import type { Db } from '../../db/client.js';
import { createCase, type CaseDeps } from '../../server/domain/cases.js';
import { recordMoneyIn, setFundTarget, type MoneySource } from '../../server/domain/fund-money.js';
import { createFund } from '../../server/domain/funds.js';
import { applyToRound, decideApplication, findApplicationFor } from '../../server/domain/round-applications.js';
import { createRound, setRoundOpen } from '../../server/domain/rounds.js';
import type { DemoPeople } from './people.js';
import { idOf, type Step } from './steps.js';
import type { DemoPlan } from './types.js';

/** Issue 14: the network's 2020 emergency fund paid 1,645 people ¥30,000 each through partner groups. */
export const DEMO_ROUND = { people: 1_645, amount: 30_000, fundName: '2020年 緊急支援基金', roundName: '2020年 一律給付（1人3万円）' } as const;
export const DEMO_CAMPAIGN = { fundName: '2025-26 寄付キャンペーン', target: 3_000_000, dueOn: '2026-03-31' } as const;

const SIZES = [1, 2, 1, 3, 1, 1, 4, 2, 1, 5, 1, 2];
const pad = (n: number) => String(n).padStart(2, '0');
const MONEY_2020: readonly (readonly [string, number, MoneySource, string])[] = [
  ['2020-04-15', 20_000_000, 'grant', '緊急助成（第1次）'],
  ['2020-06-30', 15_000_000, 'grant', '緊急助成（第2次）'],
  ['2020-05-31', 9_870_000, 'individual', 'オンライン寄付 5月'],
  ['2020-07-31', 3_650_000, 'individual', 'オンライン寄付 6〜7月'],
  ['2020-09-30', 1_500_000, 'corporate', '企業寄付'],
];

interface Application {
  groupCode: string;
  paidOn: string;
  entries: { caseIndex: number; people: number }[];
}

/** Who applied for whom, month by month, May 2020 to March 2021: deterministic. */
function planApplications(groups: string[]) {
  const households: { groupCode: string; size: number }[] = [];
  const applications = new Map<string, Application>();
  let left: number = DEMO_ROUND.people;
  for (let i = 0; left > 0; i += 1) {
    const groupCode = groups[i % groups.length]!;
    const people = Math.min(SIZES[i % SIZES.length]!, left);
    const month = (i % 11) + 5;
    const paidOn = month <= 12 ? `2020-${pad(month)}-${pad((i % 27) + 1)}` : `2021-${pad(month - 12)}-${pad((i % 27) + 1)}`;
    const key = `${groupCode}-${paidOn.slice(0, 7)}`;
    if (!applications.has(key)) applications.set(key, { groupCode, paidOn, entries: [] });
    applications.get(key)!.entries.push({ caseIndex: households.length, people });
    households.push({ groupCode, size: people });
    left -= people;
  }
  return { households, applications: [...applications.values()] };
}

export interface RoundCount {
  cases: number;
  disbursements: number;
}

/**
 * The 2020 round as it happened: the admin opens a fund and its round, each group opens its
 * households' cases and applies month by month, the network office approves, money comes in;
 * and in 2025 a public campaign target with its donations.
 */
export function roundSteps(db: Db, plan: DemoPlan, people: DemoPeople, deps: CaseDeps, count: RoundCount): Step[] {
  const admin = people.admin;
  const reviewer = people.actorOf(plan.users.find((u) => u.role === 'coordinator' && !u.isAdmin)!.email);
  const supporterOf = (code: string) => people.actorOf(plan.users.find((u) => u.orgCode === code && u.role === 'supporter')!.email);
  const groups = plan.organizations.filter((o) => plan.users.some((u) => u.orgCode === o.code && u.role === 'supporter')).map((o) => o.code);
  const { households, applications } = planApplications(groups);
  const ids = { fund: 0, round: 0, campaign: 0, cases: [] as number[] };
  const steps: Step[] = [
    {
      at: '2020-04-10T01:00:00.000Z',
      rank: 0,
      run: (now) => (ids.fund = createFund(db, admin, { name: DEMO_ROUND.fundName, budget: 50_000_000, startsOn: '2020-04-01', endsOn: '2021-03-31' }, now)),
    },
    {
      at: '2020-04-20T01:00:00.000Z',
      rank: 0,
      run: (now) => {
        ids.round = createRound(
          db,
          admin,
          {
            fundId: ids.fund,
            name: DEMO_ROUND.roundName,
            categoryCode: 'other',
            amount: DEMO_ROUND.amount,
            unit: 'person',
            startsOn: '2020-05-01',
            endsOn: '2021-03-31',
            maxPeoplePerGroup: null,
          },
          now,
        );
      },
    },
    // Every household is registered when the round opens, so its case code year is 2020.
    {
      at: '2020-04-25T03:00:00.000Z',
      rank: 1,
      run: () => {
        households.forEach((h, i) => {
          const input = {
            householdSize: h.size,
            gender: null,
            ageBand: null,
            nationality: null,
            residenceStatus: null,
            prefecture: null,
            alias: null,
            contact: null,
            notes: null,
            organizationId: null,
            idempotencyKey: `demo-round-case-${i}`,
          };
          ids.cases.push(idOf(createCase(db, supporterOf(h.groupCode), input, deps).location));
        });
      },
    },
    { at: '2021-04-05T01:00:00.000Z', rank: 0, run: (now) => setRoundOpen(db, admin, ids.round, false, now) },
  ];
  applications.forEach((a, n) => {
    let applicationId = 0;
    steps.push({
      at: `${a.paidOn}T03:00:00.000Z`,
      rank: 2,
      run: (now) => {
        const entries = a.entries.map((e) => ({ caseId: ids.cases[e.caseIndex]!, peopleCovered: e.people }));
        applicationId = idOf(
          applyToRound(
            db,
            supporterOf(a.groupCode),
            ids.round,
            { paidOn: a.paidOn, method: 'bank_transfer', entries, idempotencyKey: `demo-round-application-${n}` },
            now,
          ).location,
        );
      },
    });
    // The office decides the next working morning; the two coordinators take turns.
    const decider = n % 2 === 0 ? admin : reviewer;
    steps.push({
      at: `${a.paidOn}T23:30:00.000Z`,
      rank: 3,
      run: (now) => {
        const { entries } = findApplicationFor(db, decider, applicationId);
        const decisions = new Map(entries.map((e) => [e.id, { decision: 'approve' as const, version: e.version }]));
        decideApplication(db, decider, applicationId, { decisions, reason: null }, now);
      },
    });
  });
  for (const [on, amount, source, label] of MONEY_2020) {
    steps.push({ at: `${on}T06:00:00.000Z`, rank: 0, run: (now) => recordMoneyIn(db, admin, ids.fund, [{ receivedOn: on, amount, source, label }], now) });
  }
  steps.push({
    at: '2025-09-20T01:00:00.000Z',
    rank: 0,
    run: (now) => {
      ids.campaign = createFund(db, admin, { name: DEMO_CAMPAIGN.fundName, budget: null, startsOn: '2025-10-01', endsOn: '2026-03-31' }, now);
      setFundTarget(db, admin, ids.campaign, { amount: DEMO_CAMPAIGN.target, dueOn: DEMO_CAMPAIGN.dueOn, isPublic: true }, now);
    },
  });
  for (let k = 0; k < 40; k += 1) {
    const on = `2025-${pad(10 + (k % 3))}-${pad((k % 28) + 1)}`;
    steps.push({
      at: `${on}T06:00:00.000Z`,
      rank: 0,
      run: (now) =>
        recordMoneyIn(
          db,
          admin,
          ids.campaign,
          [{ receivedOn: on, amount: 500 + ((k * 7919) % 20) * 500, source: 'individual', label: 'キャンペーン寄付' }],
          now,
        ),
    });
  }
  count.cases = households.length;
  count.disbursements = households.length;
  return steps;
}
