import type Database from 'better-sqlite3';
import type { DemoPlan } from './types.js';

/** Issue 14: the network's 2020 emergency fund paid 1,645 people ¥30,000 each through partner groups. */
export const DEMO_ROUND = { people: 1_645, amount: 30_000, fundName: '2020年 緊急支援基金', roundName: '2020年 一律給付（1人3万円）' } as const;
export const DEMO_CAMPAIGN = { fundName: '2025-26 寄付キャンペーン', target: 3_000_000, dueOn: '2026-03-31' } as const;

const SIZES = [1, 2, 1, 3, 1, 1, 4, 2, 1, 5, 1, 2];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Written with the rest of the demo, as plain rows (the demo records one audit event only): a 2020
 * fund, its round, one application per partner group, one approved disbursement per case dated
 * 2020-05..2021-03, money in, and a public 2025-26 campaign target. Deterministic.
 */
export function writeDemoRound(sql: Database.Database, plan: DemoPlan, ids: { org: Map<string, number>; user: Map<string, number>; category: Map<string, number> }, setUpAt: string): { cases: number; disbursements: number; disbursementIds: number[] } {
  const coordinator = ids.user.get(plan.users.find((u) => u.role === 'coordinator' && u.isAdmin)!.email)!;
  const groups = plan.organizations.filter((o) => plan.users.some((u) => u.orgCode === o.code && u.role === 'supporter'));
  const fundId = Number(sql.prepare('INSERT INTO funds (name, budget, starts_on, ends_on, is_default, is_active, created_at) VALUES (?, ?, ?, ?, 0, 1, ?)')
    .run(DEMO_ROUND.fundName, 50_000_000, '2020-04-01', '2021-03-31', setUpAt).lastInsertRowid);
  const other = ids.category.get('other')!;
  const roundId = Number(sql.prepare(`INSERT INTO rounds (fund_id, name, category_id, amount, unit, starts_on, ends_on, max_people_per_group, is_open, created_by, created_at)
    VALUES (?, ?, ?, ?, 'person', '2020-05-01', '2021-03-31', NULL, 0, ?, '2020-04-20T00:00:00.000Z')`).run(fundId, DEMO_ROUND.roundName, other, DEMO_ROUND.amount, coordinator).lastInsertRowid);
  const insertCase = sql.prepare(`INSERT INTO cases (organization_id, code, code_year, code_seq, household_size, status, opened_on, created_by, created_at, updated_at)
    VALUES (?, ?, 2020, ?, ?, 'open', ?, ?, ?, ?)`);
  const insertApplication = sql.prepare(`INSERT INTO round_applications (round_id, organization_id, paid_on, method, submitted_by, submitted_at) VALUES (?, ?, ?, 'bank_transfer', ?, ?)`);
  const insertDisbursement = sql.prepare(`INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, note, status, version, submitted_by, submitted_at, updated_at, decided_by, decided_at)
    VALUES (?, ?, ?, ?, 'bank_transfer', ?, ?, 'approved', 2, ?, ?, ?, ?, ?)`);
  const insertLine = sql.prepare(`INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id) VALUES (?, 0, ?, ?, 'approved', ?, ?, ?, ?)`);
  const insertEntry = sql.prepare('INSERT INTO round_entries (application_id, round_id, organization_id, case_id, people_covered, amount, disbursement_id) VALUES (?, ?, ?, ?, ?, ?, ?)');

  let left: number = DEMO_ROUND.people;
  let i = 0;
  const seqByOrg = new Map<string, number>();
  const disbursementIds: number[] = [];
  const applications = new Map<string, number>();
  while (left > 0) {
    const group = groups[i % groups.length]!;
    const supporter = ids.user.get(plan.users.find((u) => u.orgCode === group.code && u.role === 'supporter')!.email)!;
    const orgId = ids.org.get(group.code)!;
    const people = Math.min(SIZES[i % SIZES.length]!, left);
    // Eleven months, May 2020 to March 2021.
    const month = (i % 11) + 5;
    const paidOn = month <= 12 ? `2020-${pad(month)}-${pad((i % 27) + 1)}` : `2021-${pad(month - 12)}-${pad((i % 27) + 1)}`;
    const at = `${paidOn}T03:00:00.000Z`;
    const key = `${group.code}-${paidOn.slice(0, 7)}`;
    if (!applications.has(key)) applications.set(key, Number(insertApplication.run(roundId, orgId, paidOn, supporter, at).lastInsertRowid));
    const seq = (seqByOrg.get(group.code) ?? 900) + 1;
    seqByOrg.set(group.code, seq);
    // Every round case is opened when the round opened, so its code year is 2020.
    const caseId = Number(insertCase.run(orgId, `${group.code}-2020-${String(seq).padStart(4, '0')}`, seq, people, '2020-04-25', supporter, '2020-04-25T03:00:00.000Z', at).lastInsertRowid);
    const amount = DEMO_ROUND.amount * people;
    const d = Number(insertDisbursement.run(caseId, orgId, paidOn, fundId, people, DEMO_ROUND.roundName, supporter, at, at, coordinator, at).lastInsertRowid);
    insertLine.run(d, other, amount, paidOn, orgId, fundId, caseId);
    disbursementIds.push(d);
    insertEntry.run(applications.get(key), roundId, orgId, caseId, people, amount, d);
    left -= people;
    i += 1;
  }

  const insertMoney = sql.prepare('INSERT INTO money_in (fund_id, received_on, amount, source, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const [on, amount, source, label] of [
    ['2020-04-15', 20_000_000, 'grant', '緊急助成（第1次）'], ['2020-06-30', 15_000_000, 'grant', '緊急助成（第2次）'],
    ['2020-05-31', 9_870_000, 'individual', 'オンライン寄付 5月'], ['2020-07-31', 3_650_000, 'individual', 'オンライン寄付 6〜7月'], ['2020-09-30', 1_500_000, 'corporate', '企業寄付'],
  ] as const) insertMoney.run(fundId, on, amount, source, label, coordinator, setUpAt);

  const campaign = Number(sql.prepare("INSERT INTO funds (name, budget, starts_on, ends_on, is_default, is_active, created_at) VALUES (?, NULL, '2025-10-01', '2026-03-31', 0, 1, ?)")
    .run(DEMO_CAMPAIGN.fundName, setUpAt).lastInsertRowid);
  sql.prepare('INSERT INTO fund_targets (fund_id, amount, due_on, is_public) VALUES (?, ?, ?, 1)').run(campaign, DEMO_CAMPAIGN.target, DEMO_CAMPAIGN.dueOn);
  for (let k = 0; k < 40; k += 1) insertMoney.run(campaign, `2025-${pad(10 + (k % 3))}-${pad((k % 28) + 1)}`, 500 + ((k * 7919) % 20) * 500, 'individual', 'キャンペーン寄付', coordinator, setUpAt);
  return { cases: i, disbursements: i, disbursementIds };
}
