import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { periodLocks } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeDisbursement } from '../helpers/money-factories.js';

// SPEC §1/§5: the auditor reads and verifies; changes nothing. Walks every registered route, so a
// route added later is covered without touching this file.
let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let auditor: TestClient;
const SECRETS = { alias: 'グエン・ティ・ホア', contact: '090-8765-4321', notes: '入管の面会予定あり' };

// The auditor's own account is theirs to manage (language, password), and signing in or out is not
// a change to the records: these are the only exclusions.
// /cases/search is a read sent by POST (so a name never sits in a URL); it writes nothing.
// Own preferences (account pages, the header's language menu) are the auditor's to change.
const EXCLUDED = (url: string) =>
  url === '/language' || url === '/login' || url.startsWith('/login/') || url === '/logout' || url.startsWith('/account') || url === '/cases/search';

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  const supporter = await signedIn(ctx.app, world.tokyoSupporter);
  // a case with identifying fields through the real form (so they are encrypted as in production)
  const created = await supporter.post('/cases', { householdSize: '3', ...SECRETS, idempotencyKey: newFormKey() });
  expect(created.statusCode).toBe(303);
  auditor = await signedIn(ctx.app, world.auditor);
  await auditor.csrf('/account');
});
afterEach(async () => ctx.close());

/** The case made through the form in beforeEach, with its identifying fields encrypted. */
function identifiedCaseId(): number {
  const id = ctx.db.$client.prepare('SELECT id FROM cases WHERE alias_enc IS NOT NULL').pluck().get() as number;
  expect(id).toBeGreaterThan(0);
  return id;
}

/** Every table but the audit trail (which may record a refusal) and SQLite's own bookkeeping. */
function snapshot(): Record<string, unknown[]> {
  const tables = ctx.db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_events', 'sqlite_sequence') AND name NOT LIKE '\\_\\_%' ESCAPE '\\'")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, ctx.db.$client.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}

/** A form with every field any of our forms reads, filled plausibly, so only authorization can stop it. */
function kitchenSink(caseId: number): Record<string, unknown> {
  return {
    version: '1',
    reason: '監査人による操作',
    note: 'note',
    startsOn: '2024-04-01',
    endsOn: '2024-04-30',
    name: 'Auditor made this',
    code: 'AUD',
    prefecture: '13',
    labelJa: '監査',
    labelEn: 'Audit',
    email: 'made-by-auditor@example.org',
    displayName: 'Made by auditor',
    role: 'coordinator',
    isAdmin: '1',
    password: 'a long enough password',
    newPassword: 'a long enough password',
    budget: '1000',
    direction: 'up',
    householdSize: '2',
    status: 'closed',
    caseId: String(caseId),
    paidOn: '2025-06-01',
    fundId: String(defaultFundId(ctx.db)),
    method: 'cash',
    peopleCovered: '1',
    lines: [{ category: 'food', amount: '1000' }],
    idempotencyKey: newFormKey(),
    ...SECRETS,
  };
}

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function postMultipart(url: string, fields: Record<string, string>) {
  const boundary = '----auditorsweep';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="r.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG_1PX,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return ctx.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: auditor.cookieHeader() },
  });
}

describe('the auditor is read-only everywhere', () => {
  it('every registered POST route refuses (403/404) and nothing but the audit trail changes', async () => {
    const caseRow = { id: identifiedCaseId() };
    const pending = makeDisbursement(ctx.db, { caseId: caseRow.id, submittedBy: world.tokyoSupporter.id });
    const approved = makeDisbursement(ctx.db, { caseId: caseRow.id, submittedBy: world.tokyoSupporter.id, status: 'approved', decidedBy: world.admin.id });
    const lock = ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2020-04-01', endsOn: '2021-03-31', note: 'FY2020', lockedBy: world.admin.id, lockedAt: '2025-01-01T00:00:00.000Z' })
      .returning()
      .get();
    // which existing record a path parameter names, by the resource in front of it
    const idsFor = (url: string): string[] => {
      if (url.startsWith('/disbursements/')) return [String(pending.id), String(approved.id)];
      if (url.startsWith('/cases/')) return [String(caseRow.id)];
      if (url.startsWith('/admin/organizations/')) return [String(world.tokyo.id)];
      if (url.startsWith('/admin/users/')) return [String(world.tokyoSupporter.id), String(world.auditor.id)];
      if (url.startsWith('/admin/period-locks/')) return [String(lock.id)];
      if (url.startsWith('/admin/funds/')) return [String(defaultFundId(ctx.db))];
      return ['1']; // every table's first row exists (world, seeded categories, the default fund)
    };

    const routes = ctx.app.registeredRoutes.filter((r) => r.method === 'POST' && !EXCLUDED(r.url));
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/disbursements/:id/approve', '/disbursements/:id/void', '/admin/period-locks']));
    const before = snapshot();
    const answers: { url: string; status: number }[] = [];
    for (const route of routes) {
      for (const id of idsFor(route.url)) {
        const url = route.url.replace(/:[A-Za-z]+/g, id);
        const response = route.url.endsWith('/receipts')
          ? await postMultipart(url, { _csrf: await auditor.csrf('/account') })
          : await auditor.post(url, kitchenSink(caseRow.id));
        // a CSRF failure would also be a 403: make sure it is the permission that refused
        const csrfRefusal = response.body.includes('フォームの有効期限が切れたか');
        answers.push({ url, status: csrfRefusal ? -1 : response.statusCode });
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(routes.length);
    expect(answers.filter((a) => a.status !== 403 && a.status !== 404)).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it("the refusal is not the CSRF check: the same token works on the auditor's own account", async () => {
    const response = await auditor.post('/account/locale', { locale: 'en' });
    expect(response.statusCode).toBe(303);
  });

  it('no GET page an auditor can open shows an identifying field', async () => {
    const caseId = identifiedCaseId();
    makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id, status: 'approved', decidedBy: world.admin.id });
    const gets = ctx.app.registeredRoutes.filter((r) => r.method === 'GET' && !r.url.includes('*') && r.url !== '/logout');
    let opened = 0;
    for (const route of gets) {
      const url = route.url.replace(/:[A-Za-z]+/g, route.url.startsWith('/cases/') ? String(caseId) : '1');
      for (const query of ['', route.url.startsWith('/reports') ? '?from=2025-01-01&to=2025-12-31' : '?case=' + caseId]) {
        const response = await auditor.get(url + query);
        if (response.statusCode === 200) opened += 1;
        for (const secret of Object.values(SECRETS))
          expect({ url: url + query, leaked: response.body.includes(secret) }).toEqual({ url: url + query, leaked: false });
      }
    }
    expect(opened).toBeGreaterThan(3);
    // the case itself is visible to the auditor, without its identity
    const page = await auditor.get(`/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
  });
});
