import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../server/domain/actor.js';
import { verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { DEMO_ACCOUNTS } from '../../scripts/demo/accounts.js';
import { countRecords, isDemoDatabase } from '../../server/domain/demo/marker.js';
import { planDemo } from '../../scripts/demo/plan.js';
import type { DemoTargets } from '../../scripts/demo/targets.js';
import { DEMO_SET_UP_AT, DemoSeedRefused, writeDemoDatabase } from '../../scripts/demo/write.js';
import { computeSummary } from '../../server/domain/figures.js';
import { formatYenCampaign } from '../../server/domain/format.js';
import { verifyPassword } from '../../server/domain/passwords.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

const CAMPAIGN = { from: '2023-07-01', to: '2025-08-31' };
const SECOND: DemoTargets = {
  from: '2023-07-01',
  to: '2025-08-31',
  total: 5_000_000,
  peopleCumulative: 120,
  shares: { shelter: 40, food: 30, medical: 20, utilities: 5 },
};
const NOW = new Date('2026-01-10T03:00:00Z');

const opened: { db: Db; dataDir: string }[] = [];
const dataKeys = new Map<Db, Buffer>();
function freshDb(): Db {
  const { config, dataDir } = makeTestConfig();
  const db = makeTestDb(config);
  opened.push({ db, dataDir });
  dataKeys.set(db, config.dataKey);
  return db;
}
/** Seed through the domain functions, as `npm run seed:demo` does. */
const seed = (db: Db, plan = planDemo()) => writeDemoDatabase(db, plan, { dataKey: dataKeys.get(db)!, now: NOW });
afterAll(() => {
  for (const { db, dataDir } of opened) {
    db.$client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** The network coordinator as the report sees them: every group. */
function coordinatorOf(db: Db): Actor {
  const row = db.$client.prepare("SELECT id, organization_id AS org FROM users WHERE email = 'coordinator@demo.example'").get() as { id: number; org: number };
  return { userId: row.id, role: 'coordinator', organizationId: row.org, isAdmin: true, displayName: 'coordinator', locale: 'ja' };
}
const report = (db: Db, period: { from: string; to: string }, includePending = false) =>
  computeSummary(db, coordinatorOf(db), { ...period, organizationId: null, fundId: null, includePending });
const shareOf = (summary: ReturnType<typeof report>, code: string) => summary.byCategory.find((c) => c.code === code)?.share;
const all = <T>(db: Db, sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];

let demo: Db;
beforeAll(async () => {
  demo = freshDb();
  await seed(demo);
}, 300_000);

describe('the demo database, through the report code path', () => {
  it('reproduces the campaign: のべ491人に対し、1,764万4,244円, shares 37.3 / 26.9 / 14.4 / 11.3', () => {
    const summary = report(demo, CAMPAIGN);
    expect(summary.total).toBe(17_644_244);
    expect(formatYenCampaign(summary.total)).toBe('1,764万4,244円');
    expect(summary.peopleCumulative).toBe(491);
    expect(shareOf(summary, 'shelter')).toBe(37.3);
    expect(shareOf(summary, 'food')).toBe(26.9);
    expect(shareOf(summary, 'medical')).toBe(14.4);
    expect(shareOf(summary, 'utilities')).toBe(11.3);
    expect(summary.byCategory.reduce((s, c) => s + c.amount, 0)).toBe(17_644_244);
    expect(Math.round(summary.byCategory.reduce((s, c) => s + c.share, 0) * 10)).toBe(1000);
    for (const code of ['repatriation', 'tuition', 'other']) expect(summary.byCategory.find((c) => c.code === code)!.amount).toBeGreaterThan(0);
    expect(summary.byMonth.filter((m) => m.disbursements > 0)).toHaveLength(26);
    expect(summary.byOrganization.length).toBeGreaterThanOrEqual(10);
  });

  it('holds the 2020 round: 1,645人に1人3万円、総額4,935万円 through the same report, plus money in and a public target', () => {
    const round = all<{ id: number; fundId: number }>(demo, 'SELECT id, fund_id AS fundId FROM rounds')[0]!;
    const summary = computeSummary(demo, coordinatorOf(demo), {
      from: '2020-04-01',
      to: '2021-03-31',
      organizationId: null,
      fundId: round.fundId,
      includePending: false,
      roundId: round.id,
    });
    expect([summary.peopleCumulative, summary.total]).toEqual([1_645, 49_350_000]);
    expect(formatYenCampaign(summary.total)).toBe('4,935万円');
    expect(all(demo, 'SELECT id FROM round_entries')).toHaveLength(summary.disbursements);
    expect(all<{ n: number }>(demo, 'SELECT sum(amount) AS n FROM money_in WHERE fund_id = ?', round.fundId)[0]!.n).toBeGreaterThan(49_350_000);
    expect(all(demo, 'SELECT fund_id FROM fund_targets WHERE amount = 3000000 AND is_public = 1')).toHaveLength(1);
  });

  it('holds records that must not count: pending, rejected, withdrawn, voided, and approved outside the period', () => {
    const inPeriod = all<{ status: string; n: number; reasons: number }>(
      demo,
      `SELECT status, count(*) AS n, sum(coalesce(length(trim(reject_reason)), 0) > 0 OR coalesce(length(trim(void_reason)), 0) > 0) AS reasons
       FROM disbursements WHERE paid_on BETWEEN ? AND ? GROUP BY status`,
      CAMPAIGN.from,
      CAMPAIGN.to,
    );
    const byStatus = Object.fromEntries(inPeriod.map((r) => [r.status, r]));
    for (const status of ['pending', 'rejected', 'withdrawn', 'voided']) expect(byStatus[status]?.n ?? 0).toBeGreaterThan(0);
    expect(byStatus.rejected!.reasons).toBe(byStatus.rejected!.n);
    expect(byStatus.voided!.reasons).toBe(byStatus.voided!.n);
    // Every status inside the period together is more than the figure: the noise is real money.
    const everything = all<{ total: number }>(
      demo,
      'SELECT sum(amount) AS total FROM disbursement_lines WHERE paid_on BETWEEN ? AND ?',
      CAMPAIGN.from,
      CAMPAIGN.to,
    )[0]!;
    expect(everything.total).toBeGreaterThan(17_644_244);
    expect(report(demo, CAMPAIGN, true).total).toBeGreaterThan(17_644_244);
    expect(report(demo, { from: '2023-01-01', to: '2023-06-30' }).total).toBeGreaterThan(0);
    expect(report(demo, { from: '2025-09-01', to: '2025-12-31' }).total).toBeGreaterThan(0);
  });

  it('keeps the rules of real records: case codes, people covered, no identifying fields, the audit chain', () => {
    const cases = all<{ code: string; org: string; code_year: number; code_seq: number; opened_on: string }>(
      demo,
      'SELECT c.code, o.code AS org, c.code_year, c.code_seq, c.opened_on FROM cases c JOIN organizations o ON o.id = c.organization_id',
    );
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const c of cases) expect(c.code).toBe(`${c.org}-${c.opened_on.slice(0, 4)}-${String(c.code_seq).padStart(4, '0')}`);
    const tooMany = all(demo, 'SELECT d.id FROM disbursements d JOIN cases c ON c.id = d.case_id WHERE d.people_covered > c.household_size');
    expect(tooMany).toEqual([]);
    const identifying = all(
      demo,
      'SELECT id FROM cases WHERE alias_enc IS NOT NULL OR contact_enc IS NOT NULL OR notes_enc IS NOT NULL OR alias_index IS NOT NULL',
    );
    expect(identifying).toEqual([]);
    // every record was made through the domain, so the whole trail verifies and binds every disbursement
    const disbursementCount = all(demo, 'SELECT id FROM disbursements').length;
    expect(verifyAuditTrail(demo)).toMatchObject({ ok: true, chain: { ok: true }, disbursements: disbursementCount, ledger: [] });
    expect(all(demo, "SELECT id FROM audit_events WHERE action = 'disbursement.seeded'")).toEqual([]);
    // the set-up rows carry the replayed time too, not the day the demo was built
    expect(all(demo, 'SELECT DISTINCT created_at AS at FROM users UNION SELECT DISTINCT created_at FROM organizations')).toEqual([{ at: DEMO_SET_UP_AT }]);
    expect(all(demo, "SELECT name FROM funds WHERE is_default = 0 AND created_at >= '2026'")).toEqual([]);
    expect(isDemoDatabase(demo)).toBe(true);
  });

  it('lets the demo accounts sign in, and nobody else', async () => {
    const hashOf = (email: string) =>
      (demo.$client.prepare('SELECT password_hash FROM users WHERE email = ?').get(email) as { password_hash: string }).password_hash;
    const roles = all<{ email: string; role: string; is_admin: number }>(demo, 'SELECT email, role, is_admin FROM users');
    for (const account of DEMO_ACCOUNTS) {
      expect(roles).toContainEqual({ email: account.email, role: account.role, is_admin: account.isAdmin ? 1 : 0 });
      expect(account.password.length).toBeGreaterThanOrEqual(12);
    }
    expect(roles.filter((r) => r.role === 'coordinator')).toHaveLength(2);
    expect(await verifyPassword(hashOf('supporter@demo.example'), 'demo-supporter-2025')).toBe(true);
    expect(await verifyPassword(hashOf('tky.1@demo.example'), 'demo-supporter-2025')).toBe(false);
  });
});

describe('the demo trail is a believable history, made by the domain functions with the clock set', () => {
  it('records who submitted, decided and voided each disbursement, at the time the record says', () => {
    const mismatched = all(
      demo,
      `SELECT d.id FROM disbursements d WHERE
         NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity_type = 'disbursement' AND e.entity_id = d.id AND e.action = 'disbursement.created'
                     AND e.actor_user_id = d.submitted_by AND e.occurred_at = d.submitted_at)
         OR (d.decided_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity_type = 'disbursement' AND e.entity_id = d.id
                     AND e.action = 'disbursement.' || CASE d.status WHEN 'voided' THEN 'approved' ELSE d.status END
                     AND e.actor_user_id = d.decided_by AND e.occurred_at = d.decided_at))
         OR (d.voided_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity_type = 'disbursement' AND e.entity_id = d.id
                     AND e.action = 'disbursement.voided' AND e.actor_user_id = d.voided_by AND e.occurred_at = d.voided_at))`,
    );
    expect(mismatched).toEqual([]);
    // four eyes: nobody approved what they submitted
    expect(all(demo, "SELECT id FROM disbursements WHERE status IN ('approved', 'voided') AND decided_by = submitted_by")).toEqual([]);
  });

  it('spans the round of 2020 and every month of the campaign, with rejections, voids, withdrawals, closed cases and a lock', () => {
    const months = all<{ m: string }>(
      demo,
      "SELECT DISTINCT substr(occurred_at, 1, 7) AS m FROM audit_events WHERE action = 'disbursement.created' AND occurred_at BETWEEN '2023-07' AND '2025-09'",
    );
    expect(months).toHaveLength(26);
    const first = all<{ at: string }>(demo, "SELECT min(occurred_at) AS at FROM audit_events WHERE action <> 'demo.seeded'")[0]!;
    expect(first.at.startsWith('2020-04')).toBe(true);
    const actions = new Set(all<{ action: string }>(demo, 'SELECT DISTINCT action FROM audit_events').map((r) => r.action));
    for (const action of [
      'organization.created',
      'user.created',
      'fund.created',
      'round.created',
      'round_application.submitted',
      'round_application.decided',
      'money_in.recorded',
      'fund_target.set',
      'case.created',
      'case.updated',
      'disbursement.created',
      'disbursement.approved',
      'disbursement.rejected',
      'disbursement.voided',
      'disbursement.withdrawn',
      'period_lock.created',
      'demo.seeded',
    ]) {
      expect(actions).toContain(action);
    }
    const deciders = all<{ n: number }>(demo, "SELECT count(DISTINCT actor_user_id) AS n FROM audit_events WHERE action = 'disbursement.approved'")[0]!;
    expect(deciders.n).toBe(2);
  });
});

describe('seeding is built from targets and deterministic', () => {
  it('lands a second set of targets exactly: ¥5,000,000 for のべ120人, 40.0 / 30.0 / 20.0 / 5.0', async () => {
    const db = freshDb();
    await seed(db, planDemo(SECOND));
    const summary = report(db, SECOND);
    expect(summary.total).toBe(5_000_000);
    expect(summary.peopleCumulative).toBe(120);
    expect([shareOf(summary, 'shelter'), shareOf(summary, 'food'), shareOf(summary, 'medical'), shareOf(summary, 'utilities')]).toEqual([40, 30, 20, 5]);
    expect(summary.byCategory.reduce((s, c) => s + c.amount, 0)).toBe(5_000_000);
  });

  it('writes the same database twice: identical figures, case codes and ledger', async () => {
    const again = freshDb();
    await seed(again);
    expect(report(again, CAMPAIGN)).toEqual(report(demo, CAMPAIGN));
    const codes = (db: Db) => all<{ code: string }>(db, 'SELECT code FROM cases ORDER BY id').map((r) => r.code);
    expect(codes(again)).toEqual(codes(demo));
    const ledger = (db: Db) => all(db, 'SELECT * FROM disbursement_lines ORDER BY id');
    expect(ledger(again)).toEqual(ledger(demo));
  });
});

describe('seeding refuses a database with records in it', () => {
  it('refuses real data and changes nothing', async () => {
    const db = freshDb();
    const org = makeOrganization(db, { code: 'REAL' });
    await makeUser(db, { role: 'coordinator', organizationId: org.id, isAdmin: true });
    const before = countRecords(db);
    await expect(seed(db)).rejects.toBeInstanceOf(DemoSeedRefused);
    expect(countRecords(db)).toEqual(before);
    expect(isDemoDatabase(db)).toBe(false);
  });

  it('does not write a demo over a demo either (the seeder starts one afresh from an empty file)', async () => {
    const before = countRecords(demo);
    await expect(seed(demo)).rejects.toBeInstanceOf(DemoSeedRefused);
    expect(countRecords(demo)).toEqual(before);
  });
});
