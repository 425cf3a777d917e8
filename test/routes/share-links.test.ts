import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, shareLinks } from '../../db/schema.js';
import { serializeRequest } from '../../server/plugins/log-privacy.js';
import { generateShareToken } from '../../server/domain/share-links.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient, type TestClient as Client } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
const logged: unknown[] = [];
beforeEach(async () => {
  logged.length = 0;
  // The request log line's fields, exactly as the logger's serializer would write them.
  ctx = await buildTestApp({
    env: { PUBLIC_SUPPRESSION_THRESHOLD: '3' },
    extraRoutes: (app) => app.addHook('onRequest', async (req) => void logged.push(serializeRequest(req))),
  });
});
afterEach(async () => ctx.close());

type World = Awaited<ReturnType<typeof makeWorld>>;
const linkEvents = () => ctx.db.select().from(auditEvents).where(eq(auditEvents.entityType, 'share_link')).all();
const body = (html: string) => html.slice(html.indexOf('<p class="hint">寄付者'), html.indexOf('</main>'));

async function seedApril(w: World) {
  for (let i = 0; i < 4; i += 1) {
    const c = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id });
    makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: w.tokyoSupporter.id,
      decidedBy: w.coordinator.id,
      status: 'approved',
      paidOn: '2025-04-10',
      lines: [{ category: 'food', amount: 12_345 }],
    });
  }
}

/** Creates a link through the form and reads its address from the page shown once after. */
async function createLink(client: Client, form = { from: '2025-04-01', to: '2025-04-30', expiresOn: '2025-07-31' }): Promise<string> {
  const created = await client.post('/share-links', form);
  expect(created.statusCode).toBe(303);
  expect(created.headers.location).toBe('/share-links');
  const page = (await client.get('/share-links')).body;
  const url = /id="new-share-url"[^>]*value="http:\/\/[^/"]+(\/share\/[a-z2-7]{32})"/.exec(page);
  expect(url).not.toBeNull();
  return url![1]!;
}

describe('share links', () => {
  it('opens the public page for anyone without an account, counts the opening, and hides the token everywhere', async () => {
    const w = await makeWorld(ctx.db);
    await seedApril(w);
    const coordinator = await signedIn(ctx.app, w.coordinator);
    const path = await createLink(coordinator);
    const token = path.slice('/share/'.length);
    // Shown once: the next visit to the list no longer carries it.
    expect((await coordinator.get('/share-links')).body).not.toContain(token);

    const stranger = new TestClient(ctx.app);
    const opened = await stranger.get(path);
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['referrer-policy']).toBe('no-referrer');
    expect(opened.headers['x-robots-tag']).toBe('noindex');
    const publicPage = (await coordinator.get('/reports/public?from=2025-04-01&to=2025-04-30')).body;
    expect(body(opened.body)).toBe(body(publicPage));
    expect(opened.body).toContain('¥49,380');
    await stranger.get(path);

    const row = ctx.db.select().from(shareLinks).get()!;
    expect(row.openCount).toBe(2);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(token);
    const events = linkEvents();
    expect(events.map((e) => e.action)).toEqual(['share_link.created']);
    expect(JSON.parse(events[0]!.after!)).toEqual({ periodFrom: '2025-04-01', periodTo: '2025-04-30', expiresAt: '2025-07-31T15:00:00.000Z' });
    const everything = JSON.stringify(ctx.db.select().from(auditEvents).all()) + JSON.stringify(logged);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(row.tokenHash);
    expect(logged).toContainEqual(expect.objectContaining({ method: 'GET', url: '/share/[redacted]' }));
  });

  it('answers 410 once expired or revoked, 404 for an unknown token, with the same headers', async () => {
    const w = await makeWorld(ctx.db);
    const coordinator = await signedIn(ctx.app, w.coordinator);
    const expiring = await createLink(coordinator, { from: '2025-04-01', to: '2025-04-30', expiresOn: '2025-06-15' });
    const revoked = await createLink(coordinator);
    const stranger = new TestClient(ctx.app);
    const id = ctx.db.select().from(shareLinks).all()[1]!.id;
    const revoke = await coordinator.post(`/share-links/${id}/revoke`);
    expect(revoke.statusCode).toBe(303);
    expect(revoke.headers.location).toBe('/share-links');
    expect((await stranger.get(revoked)).statusCode).toBe(410);
    expect((await coordinator.post(`/share-links/${id}/revoke`)).statusCode).toBe(409);
    expect(linkEvents().map((e) => e.action)).toEqual(['share_link.created', 'share_link.created', 'share_link.revoked']);
    expect(linkEvents()[2]!.actorUserId).toBe(w.coordinator.id);
    expect((await stranger.get(expiring)).statusCode).toBe(200);
    // The last day is valid until midnight in Japan (15:00 UTC).
    ctx.clock.set('2025-06-15T14:59:59Z');
    expect((await stranger.get(expiring)).statusCode).toBe(200);
    ctx.clock.set('2025-06-15T15:00:00Z');
    const gone = await stranger.get(expiring);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['x-robots-tag']).toBe('noindex');
    expect(gone.body).not.toContain('¥');

    // The list a coordinator sees the next morning.
    const list = (await (await signedIn(ctx.app, w.coordinator)).get('/share-links')).body;
    expect(list).toContain('期限切れ');
    expect(list).toContain('無効にしました');

    for (const unknown of [`/share/${generateShareToken()}`, '/share/not-a-token', `/share/${'A'.repeat(32)}`]) {
      const response = await stranger.get(unknown);
      expect(response.statusCode).toBe(404);
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(
      ctx.db
        .select()
        .from(shareLinks)
        .all()
        .map((l) => l.openCount),
    ).toEqual([2, 0]);
  });

  it('re-renders the form with a message beside the field for a bad period or expiry, and writes nothing', async () => {
    const w = await makeWorld(ctx.db);
    const admin = await signedIn(ctx.app, w.admin);
    for (const [form, field, message] of [
      [{ from: '2025-04-01', to: '2025-04-30', expiresOn: '2026-06-16' }, 'expiresOn', '有効期限は今日から1年以内にしてください。'],
      [{ from: '2025-04-01', to: '2025-04-30', expiresOn: '2025-06-14' }, 'expiresOn', '有効期限は今日以降の日付にしてください。'],
      [{ from: '2025-04-30', to: '2025-04-01', expiresOn: '2025-07-01' }, 'to', '終了日は開始日と同じ日か、それより後にしてください。'],
      [{ from: '2025-02-30', to: '2025-04-01', expiresOn: '2025-07-01' }, 'from', '日付は実在する日を'],
      [{ from: ['2025-04-01'], to: '2025-04-01', expiresOn: '2025-07-01' }, 'from', ''],
    ] as const) {
      const response = await admin.post('/share-links', form);
      expect(response.statusCode).toBe(422);
      expect(response.body).toMatch(new RegExp(`<p class="error" id="f-${field}-error">${message}`));
      if (typeof form.expiresOn === 'string') expect(response.body).toContain(`value="${form.expiresOn}"`);
    }
    // One year ahead is the last day allowed.
    expect((await admin.post('/share-links', { from: '2025-04-01', to: '2025-04-30', expiresOn: '2026-06-15' })).statusCode).toBe(303);
    expect(ctx.db.select().from(shareLinks).all()).toHaveLength(1);
  });

  it('refuses a second link whose difference from an earlier one holds a few cases', async () => {
    const w = await makeWorld(ctx.db);
    await seedApril(w);
    const late = makeCase(ctx.db, { organizationId: w.osaka.id, createdBy: w.osakaSupporter.id });
    makeDisbursement(ctx.db, {
      caseId: late.id,
      submittedBy: w.osakaSupporter.id,
      decidedBy: w.coordinator.id,
      status: 'approved',
      paidOn: '2025-04-28',
      lines: [{ category: 'repatriation', amount: 88_500 }],
    });
    const coordinator = await signedIn(ctx.app, w.coordinator);
    await createLink(coordinator);
    // April minus 1–27 April is the one case of the 28th.
    const refused = await coordinator.post('/share-links', { from: '2025-04-01', to: '2025-04-27', expiresOn: '2025-07-31' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('両方を公開すると、引き算でそのケースの数字が分かってしまいます。');
    expect(refused.body).toContain('value="2025-04-27"');
    // 1–9 April leaves out five cases, but one of them is the only repatriation: its row would show.
    expect((await coordinator.post('/share-links', { from: '2025-04-01', to: '2025-04-09', expiresOn: '2025-07-31' })).statusCode).toBe(422);
    // March to May adds nothing; 11–30 April leaves out the four food cases of the 10th, every row of them at least 3.
    await createLink(coordinator, { from: '2025-03-01', to: '2025-05-31', expiresOn: '2025-07-31' });
    await createLink(coordinator, { from: '2025-04-11', to: '2025-04-30', expiresOn: '2025-07-31' });
    expect(ctx.db.select().from(shareLinks).all()).toHaveLength(3);
  });

  it('lets only coordinators and admins manage links', async () => {
    const w = await makeWorld(ctx.db);
    const coordinator = await signedIn(ctx.app, w.coordinator);
    await createLink(coordinator);
    const id = ctx.db.select().from(shareLinks).get()!.id;
    for (const user of [w.tokyoSupporter, w.auditor]) {
      const client = await signedIn(ctx.app, user);
      expect((await client.get('/share-links')).statusCode).toBe(403);
      expect((await client.post('/share-links', { from: '2025-04-01', to: '2025-04-30', expiresOn: '2025-07-31' })).statusCode).toBe(403);
      expect((await client.post(`/share-links/${id}/revoke`)).statusCode).toBe(403);
    }
    expect((await new TestClient(ctx.app).get('/share-links')).headers.location).toMatch(/^\/login/);
    expect(ctx.db.select().from(shareLinks).all()).toHaveLength(1);
    expect(ctx.db.select().from(shareLinks).get()!.revokedAt).toBeNull();
  });

  it('is rate-limited per address like every other route, so tokens cannot be guessed at speed', async () => {
    await ctx.close();
    ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    const stranger = new TestClient(ctx.app);
    const guesses = [];
    for (let i = 0; i < 4; i += 1) guesses.push((await stranger.get(`/share/${generateShareToken()}`)).statusCode);
    expect(guesses).toEqual([404, 404, 404, 429]);
  });
});
