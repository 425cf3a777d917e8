import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, recoveryCodes, secondFactors, sessionDetails, sessions } from '../../db/schema.js';
import { totpCodeAt, totpKeyFromBase32, totpStep } from '../../server/domain/totp.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp({ env: { REQUIRE_SECOND_FACTOR: '1' } });
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const actions = () =>
  ctx.db
    .select()
    .from(auditEvents)
    .all()
    .map((e) => e.action);

/** Password step; the client then holds a half-authenticated session and that page's CSRF token. */
async function passwordStep(user: { email: string; password: string }, expected: string) {
  const client = new TestClient(ctx.app);
  const response = await client.login(user.email, user.password);
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe(expected);
  const page = await client.get(expected);
  expect(page.statusCode).toBe(200);
  return { client, page };
}

/** Enrol through the required sign-in path; returns the secret and the recovery codes shown. */
async function enrol(user: { email: string; password: string }) {
  const { client, page } = await passwordStep(user, '/login/second-factor/enrol');
  const secret = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '');
  const key = totpKeyFromBase32(secret);
  const pendingCookie = client.cookie('sid');
  const done = await client.post('/login/second-factor/enrol', { code: totpCodeAt(key, totpStep(ctx.clock.now())) });
  expect(done.statusCode).toBe(200);
  const codes = [...done.body.matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)].map((m) => m[1]!);
  client.forgetToken();
  return { client, key, codes, pendingCookie };
}

describe('a required second factor', () => {
  it('sends a coordinator without one to enrolment, and nothing else opens until it is done', async () => {
    const { client, page } = await passwordStep(world.coordinator, '/login/second-factor/enrol');
    expect(page.body).toContain('<svg role="img"');
    expect(page.body).not.toMatch(/<img[^>]+src="https?:/);
    for (const url of ['/', '/cases', '/reports/summary.json?from=2025-01-01&to=2025-01-31', '/account']) {
      const blocked = await client.get(url);
      expect([blocked.statusCode, blocked.headers.location]).toEqual([303, '/login/second-factor/enrol']);
    }
    const wrong = await client.post('/login/second-factor/enrol', { code: '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('コードが正しくありません');
    expect((await client.get('/')).headers.location).toBe('/login/second-factor/enrol');
  });

  it('stores the secret sealed, makes ten hashed recovery codes, audits, and opens a fresh session', async () => {
    const { client, key, codes, pendingCookie } = await enrol(world.coordinator);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const factor = ctx.db.select().from(secondFactors).where(eq(secondFactors.userId, world.coordinator.id)).get()!;
    expect(factor.totpSecretEnc.startsWith('v1:')).toBe(true);
    expect(factor.totpSecretEnc).not.toContain(Buffer.from(key).toString('base64'));
    const stored = ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, world.coordinator.id)).all();
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.map((r) => r.codeHash)).not.toContain(code.replace(/-/g, ''));
    expect(actions()).toContain('second_factor.enrolled');
    // The half session was replaced by a new one: one session, a new cookie, nothing pending.
    expect(ctx.db.select().from(sessions).all()).toHaveLength(1);
    expect(client.cookie('sid')).not.toBe(pendingCookie);
    expect(
      ctx.db
        .select()
        .from(sessionDetails)
        .all()
        .map((d) => d.factorStage),
    ).toEqual([null]);
    expect((await client.get('/')).statusCode).toBe(200);
  });

  it('leaves supporters and auditors alone, and everyone when the setting is off', async () => {
    for (const user of [world.tokyoSupporter, world.auditor]) {
      const response = await new TestClient(ctx.app).login(user.email, user.password);
      expect(response.headers.location).toBe('/');
    }
    const relaxed = await buildTestApp();
    const relaxedWorld = await makeWorld(relaxed.db);
    expect(relaxed.config.requireSecondFactor).toBe(false);
    expect((await new TestClient(relaxed.app).login(relaxedWorld.admin.email, relaxedWorld.admin.password)).headers.location).toBe('/');
    await relaxed.close();
  });
});

describe('signing in with an enrolled factor', () => {
  it('asks for the code after the password; a right code signs in once, a replay does not', async () => {
    const { key } = await enrol(world.coordinator);
    ctx.clock.advance(60_000);
    const { client } = await passwordStep(world.coordinator, '/login/second-factor');
    expect((await client.get('/cases')).headers.location).toBe('/login/second-factor');
    const code = totpCodeAt(key, totpStep(ctx.clock.now()));
    const passed = await client.post('/login/second-factor', { code: code.replace(/(\d{3})/, '$1 ') });
    expect([passed.statusCode, passed.headers.location]).toEqual([303, '/']);
    expect((await client.get('/cases')).statusCode).toBe(200);
    expect(actions()).toContain('auth.second_factor_passed');

    const { client: replayer } = await passwordStep(world.coordinator, '/login/second-factor');
    const replay = await replayer.post('/login/second-factor', { code });
    expect(replay.statusCode).toBe(401);
    expect(actions()).toContain('auth.second_factor_failed');
  });

  it('accepts each recovery code once, audited', async () => {
    const { codes } = await enrol(world.coordinator);
    const { client } = await passwordStep(world.coordinator, '/login/second-factor');
    expect((await client.post('/login/second-factor', { code: codes[0]!.toUpperCase() })).statusCode).toBe(303);
    expect(actions()).toContain('second_factor.recovery_code_used');
    const { client: again } = await passwordStep(world.coordinator, '/login/second-factor');
    expect((await again.post('/login/second-factor', { code: codes[0]! })).statusCode).toBe(401);
    const used = ctx.db
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, world.coordinator.id)))
      .all();
    expect(used.filter((r) => r.usedAt !== null)).toHaveLength(1);
  });

  it('counts wrong codes with the password failures, and a right password does not reset the count', async () => {
    const { key } = await enrol(world.coordinator);
    const { client } = await passwordStep(world.coordinator, '/login/second-factor');
    for (let i = 0; i < 4; i++) expect((await client.post('/login/second-factor', { code: '000000' })).statusCode).toBe(401);
    // Signing in with the password again must not wipe the four failures.
    const { client: next } = await passwordStep(world.coordinator, '/login/second-factor');
    expect((await next.post('/login/second-factor', { code: '000000' })).statusCode).toBe(401);
    ctx.clock.advance(30_000);
    const right = await next.post('/login/second-factor', { code: totpCodeAt(key, totpStep(ctx.clock.now())) });
    expect(right.statusCode).toBe(429);
    expect((await next.get('/')).headers.location).toBe('/login/second-factor');
  });

  it('ends a half sign-in that waits more than ten minutes', async () => {
    await enrol(world.coordinator);
    const { client } = await passwordStep(world.coordinator, '/login/second-factor');
    ctx.clock.advance(11 * 60_000);
    const stale = await client.get('/login/second-factor');
    expect([stale.statusCode, stale.headers.location]).toEqual([303, '/login']);
  });
});

describe('new recovery codes', () => {
  it('need a current code; the old codes stop working and the new ones sign in', async () => {
    const { client, key, codes } = await enrol(world.coordinator);
    await client.get('/account/second-factor');
    expect((await client.post('/account/second-factor/recovery-codes', { code: '000000' })).statusCode).toBe(422);
    ctx.clock.advance(30_000);
    const made = await client.post('/account/second-factor/recovery-codes', { code: totpCodeAt(key, totpStep(ctx.clock.now())) });
    expect(made.statusCode).toBe(200);
    const fresh = [...made.body.matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect(actions()).toContain('second_factor.recovery_codes_regenerated');
    const { client: old } = await passwordStep(world.coordinator, '/login/second-factor');
    expect((await old.post('/login/second-factor', { code: codes[1]! })).statusCode).toBe(401);
    expect((await old.post('/login/second-factor', { code: fresh[0]! })).statusCode).toBe(303);
  });
});

describe('an admin resets a factor', () => {
  it('needs a reason, removes the factor and codes, ends the user’s sessions, and audits the reason', async () => {
    const { client: coordinator } = await enrol(world.coordinator);
    const { key: adminKey } = await enrol(world.admin);
    const admin = new TestClient(ctx.app);
    await admin.login(world.admin.email, world.admin.password);
    await admin.get('/login/second-factor');
    ctx.clock.advance(30_000);
    expect((await admin.post('/login/second-factor', { code: totpCodeAt(adminKey, totpStep(ctx.clock.now())) })).statusCode).toBe(303);
    admin.forgetToken();

    const empty = await admin.post(`/admin/users/${world.coordinator.id}/second-factor/reset`, { reason: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(ctx.db.select().from(secondFactors).where(eq(secondFactors.userId, world.coordinator.id)).get()).toBeDefined();

    const done = await admin.post(`/admin/users/${world.coordinator.id}/second-factor/reset`, { reason: 'lost phone, confirmed by call' });
    expect([done.statusCode, done.headers.location]).toEqual([303, `/admin/users/${world.coordinator.id}`]);
    expect(ctx.db.select().from(secondFactors).where(eq(secondFactors.userId, world.coordinator.id)).get()).toBeUndefined();
    expect(ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, world.coordinator.id)).all()).toEqual([]);
    expect(ctx.db.select().from(sessions).where(eq(sessions.userId, world.coordinator.id)).all()).toEqual([]);
    expect((await coordinator.get('/')).headers.location).toMatch(/^\/login/);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'second_factor.reset')).get()!;
    expect(JSON.parse(event.after!)).toMatchObject({ reason: 'lost phone, confirmed by call', hadFactor: true });
    expect(event.actorUserId).toBe(world.admin.id);
    // The next sign-in sends them to enrolment again.
    await passwordStep(world.coordinator, '/login/second-factor/enrol');
  });
});
