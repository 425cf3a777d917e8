import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { disbursements, funds, organizations } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { manualClock } from '../../server/domain/clock.js';
import { DEMO_ACCOUNTS } from '../../scripts/demo/accounts.js';
import { seedDemoFile } from '../../scripts/demo/seed.js';
import { createFund } from '../../server/domain/funds.js';
import { writeTransaction } from '../../db/client.js';
import { createOrganization } from '../../server/domain/organizations.js';
import type { Summary } from '../../server/domain/figures.js';
import type { Actor } from '../../server/domain/actor.js';
import { buildTestApp, makeTestConfig, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { batchIdOf, proposedForm, upload } from '../imports/helpers.js';
import { rmSync } from 'node:fs';

// §3 of issue 12: the demo ledger exported as XLSX, imported into an empty database through the
// import pages, gives the same report to the yen. The demo is seeded once for the file (slow).
const PERIOD = 'from=2023-07-01&to=2025-08-31';
const NOW = '2025-09-15T03:00:00Z';
const MISSING_NOTE = '移行：元の台帳に備考なし';

let demoSummary: Summary;
let ledger: Buffer;
let demoOrgs: { code: string; name: string; prefecture: string | null }[];
let demoFunds: { name: string }[];
let voidedLines: number;
let target: TestContext;
let uploader: TestClient;
let confirmer: TestClient;

const coordinatorOf = (email: string) => DEMO_ACCOUNTS.find((a) => a.email === email)!;

beforeAll(async () => {
  const { config, dataDir } = makeTestConfig({ RATE_LIMIT_PER_MINUTE: '1000000' });
  await seedDemoFile(config.databasePath, new Date(NOW), { dataKey: config.dataKey });
  const db = bindAuditKey(openDatabase(config.databasePath), config.dataKey);
  const app = await buildApp({ config, db, clock: manualClock(NOW), logger: false });
  await app.ready();
  try {
    const coordinator = await signedIn(app, coordinatorOf('coordinator@demo.example'));
    const file = await app.inject({ method: 'GET', url: `/reports/ledger.xlsx?${PERIOD}`, headers: { cookie: coordinator.cookieHeader() } });
    expect(file.statusCode).toBe(200);
    ledger = file.rawPayload;
    demoSummary = JSON.parse((await coordinator.get(`/reports/summary.json?${PERIOD}`)).body) as Summary;
    demoOrgs = db.select({ code: organizations.code, name: organizations.name, prefecture: organizations.prefecture }).from(organizations).all();
    demoFunds = db.select({ name: funds.name }).from(funds).all();
    voidedLines = db.$client
      .prepare(`SELECT count(*) AS n FROM disbursement_lines WHERE status = 'voided' AND paid_on BETWEEN '2023-07-01' AND '2025-08-31'`)
      .get() as never;
  } finally {
    await app.close();
    db.$client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // The empty database: the groups and funds an administrator sets up before moving records in.
  target = await buildTestApp({ now: NOW, env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const now = new Date(NOW);
  for (const o of demoOrgs) writeTransaction(target.db, (tx) => createOrganization(tx, null, o, now));
  const net = target.db
    .select()
    .from(organizations)
    .all()
    .find((o) => o.code === 'NET')!;
  const admin = await makeUser(target.db, { role: 'coordinator', organizationId: net.id, isAdmin: true });
  const second = await makeUser(target.db, { role: 'coordinator', organizationId: net.id });
  const existing = new Set(
    target.db
      .select({ name: funds.name })
      .from(funds)
      .all()
      .map((f) => f.name),
  );
  const actor: Actor = { userId: admin.id, role: 'coordinator', organizationId: net.id, isAdmin: true, displayName: 'admin', locale: 'ja' };
  for (const f of demoFunds) if (!existing.has(f.name)) createFund(target.db, actor, { name: f.name, budget: null, startsOn: null, endsOn: null }, now);
  uploader = await signedIn(target.app, admin);
  confirmer = await signedIn(target.app, second);
}, 300_000);
afterAll(async () => target?.close());

describe('round trip: the demo ledger as XLSX back into an empty database', () => {
  it('imports every group’s rows through upload, proposed mapping, dry run, commit and four eyes, and reports the same figures', async () => {
    const groups = target.db.select().from(organizations).all();
    let skippedVoided = 0;
    let imported = 0;
    for (const org of groups) {
      const res = await upload(target.app, uploader, ledger, 'ledger.xlsx', { organizationId: String(org.id) });
      const id = batchIdOf(res);
      const form = proposedForm((await uploader.get(`/imports/${id}`)).body);
      // The ledger's own headers are proposed: 支給記録ID, ケース番号, 団体, 支給日, 支出区分, 金額（円）, 財源, 支給方法, 対象人数, 状態.
      expect([form['col[voucher]'], form['col[caseRef]'], form['col[organization]'], form['col[paidOn]'], form['col[category]'], form['col[amount]']]).toEqual([
        '0',
        '2',
        '3',
        '4',
        '5',
        '6',
      ]);
      expect([form['col[fund]'], form['col[method]'], form['col[peopleCovered]'], form['col[status]']]).toEqual(['7', '8', '9', '10']);
      const dry = await uploader.post(`/imports/${id}/dry-run`, { ...form, missingNote: MISSING_NOTE });
      expect(dry.statusCode).toBe(303);
      const page = (await uploader.get(`/imports/${id}`)).body;
      expect(page).toContain('誤りのある行: 0');
      const ok = Number(/取り込める行: (\d+)/.exec(page)![1]);
      if (ok === 0) continue;
      const voided = /取消・差し戻し・取り下げのため取り込まない行: (\d+)/.exec(page);
      skippedVoided += Number(voided?.[1] ?? 0);
      imported += ok;
      expect((await uploader.post(`/imports/${id}/commit`)).statusCode).toBe(303);
      // Four eyes: another coordinator approves the batch.
      expect((await confirmer.post(`/imports/${id}/confirm`)).statusCode).toBe(303);
    }
    // Voided rows are listed in the ledger, never counted: the dry runs left each of them out, once.
    expect(voidedLines).toMatchObject({ n: skippedVoided });
    expect(skippedVoided).toBeGreaterThan(0);
    expect(imported).toBe(demoSummary.byCategory.reduce((n, c) => n + c.lines, 0));
    expect(
      target.db
        .select()
        .from(disbursements)
        .all()
        .every((d) => d.status === 'approved'),
    ).toBe(true);

    const after = JSON.parse((await uploader.get(`/reports/summary.json?${PERIOD}`)).body) as Summary;
    expect(after.total).toBe(17_644_244);
    expect(after.peopleCumulative).toBe(491);
    const headline = (s: Summary) => ({
      total: s.total,
      disbursements: s.disbursements,
      peopleCumulative: s.peopleCumulative,
      cases: s.cases,
      peopleUnique: s.peopleUnique,
    });
    expect(headline(after)).toEqual(headline(demoSummary));
    expect(after.byCategory).toEqual(demoSummary.byCategory);
    expect(after.byMonth).toEqual(demoSummary.byMonth);
    expect(after.byMethod).toEqual(demoSummary.byMethod);
    const byName = (list: { name: string; amount: number; disbursements: number }[]) => list.map((x) => [x.name, x.amount, x.disbursements]).sort();
    expect(byName(after.byOrganization)).toEqual(byName(demoSummary.byOrganization));
    expect(byName(after.byFund)).toEqual(byName(demoSummary.byFund));
  }, 300_000);
});
