import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, passkeys } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { softAuthenticator } from '../helpers/soft-authenticator.js';

const rp = { id: 'localhost', origin: 'http://localhost:3000' };
let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp({ env: { PUBLIC_ORIGIN: rp.origin } });
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const actions = () =>
  ctx.db
    .select()
    .from(auditEvents)
    .all()
    .map((e) => e.action);
/** The options a page hands its script (data-options, HTML-escaped JSON). */
const optionsIn = (html: string) =>
  JSON.parse(
    /data-options="([^"]+)"/
      .exec(html)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  ) as { challenge: string };

async function register(client: TestClient, authenticator = softAuthenticator(), name = 'Office laptop') {
  const page = await client.get('/account/passkeys');
  expect(page.statusCode).toBe(200);
  const answer = authenticator.register(optionsIn(page.body).challenge, rp);
  return { authenticator, answer, response: await client.post('/account/passkeys', { name, ...answer }) };
}

/** Password step, then the second-step page; returns the challenge it offers. */
async function toSecondStep(user: { email: string; password: string }) {
  const client = new TestClient(ctx.app);
  const login = await client.login(user.email, user.password);
  expect(login.headers.location).toBe('/login/second-factor');
  const page = await client.get('/login/second-factor');
  return { client, page, challenge: optionsIn(page.body).challenge };
}

describe('passkeys', () => {
  it('registers from the account page, then a sign-in passes with it; audited', async () => {
    const client = await signedIn(ctx.app, world.coordinator);
    const { authenticator, answer, response } = await register(client);
    expect([response.statusCode, response.headers.location]).toEqual([303, '/account/passkeys']);
    expect((await client.get('/account/passkeys')).body).toContain('Office laptop');
    // The challenge was spent: the same answer cannot register twice.
    expect((await client.post('/account/passkeys', { name: 'again', ...answer })).statusCode).toBe(422);

    const { client: second, page, challenge } = await toSecondStep(world.coordinator);
    expect(page.body).toContain('data-passkey="get"');
    expect(page.body).not.toContain('name="code"'); // passkey only: no TOTP code to type
    const passed = await second.post('/login/passkey', authenticator.assert(challenge, rp));
    expect([passed.statusCode, passed.headers.location]).toEqual([303, '/']);
    expect((await second.get('/cases')).statusCode).toBe(200);
    expect(actions()).toEqual(expect.arrayContaining(['passkey.registered', 'auth.second_factor_passed']));
    expect(ctx.db.select().from(passkeys).get()).toMatchObject({ signCount: 1, name: 'Office laptop' });
  });

  it('refuses a replayed answer, an unknown credential and a stale challenge, counting each like a wrong password', async () => {
    const { authenticator } = await register(await signedIn(ctx.app, world.coordinator));
    const first = await toSecondStep(world.coordinator);
    const good = authenticator.assert(first.challenge, rp);
    expect((await first.client.post('/login/passkey', good)).statusCode).toBe(303);

    const replay = await toSecondStep(world.coordinator);
    const replayed = await replay.client.post('/login/passkey', good);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.body).toContain('role="alert"');

    const stranger = await toSecondStep(world.coordinator);
    expect((await stranger.client.post('/login/passkey', softAuthenticator().assert(stranger.challenge, rp))).statusCode).toBe(401);

    const stale = await toSecondStep(world.coordinator);
    ctx.clock.advance(5 * 60_000 + 1);
    expect((await stale.client.post('/login/passkey', authenticator.assert(stale.challenge, rp))).statusCode).toBe(401);

    const failures = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action === 'auth.second_factor_failed')
      .map((e) => JSON.parse(e.after!).reason);
    expect(failures).toEqual(['challenge', 'unknown_credential', 'challenge']);
    // Five failures in 15 minutes (a correct password does not reset them): then even a good answer waits.
    const throttled = await toSecondStep(world.coordinator);
    for (let i = 0; i < 2; i++) {
      const more = await toSecondStep(world.coordinator);
      expect((await more.client.post('/login/passkey', { credentialId: 'x', clientDataJSON: 'x', authenticatorData: 'x', signature: 'x' })).statusCode).toBe(
        401,
      );
    }
    expect((await throttled.client.post('/login/passkey', authenticator.assert(throttled.challenge, rp))).statusCode).toBe(429);
    expect((await new TestClient(ctx.app).login(world.coordinator.email, world.coordinator.password)).statusCode).toBe(429);
  });

  it('without the script the form re-renders 422 with the name kept; a passkey is removed by its owner only', async () => {
    const client = await signedIn(ctx.app, world.coordinator);
    await client.get('/account/passkeys');
    const bare = await client.post('/account/passkeys', { name: 'Phone', clientDataJSON: '', attestationObject: '' });
    expect(bare.statusCode).toBe(422);
    expect(bare.body).toContain('value="Phone"');
    expect(ctx.db.select().from(passkeys).all()).toEqual([]);

    await register(client);
    const id = ctx.db.select().from(passkeys).get()!.id;
    const other = await signedIn(ctx.app, world.admin);
    expect((await other.post(`/account/passkeys/${id}/delete`)).statusCode).toBe(404);
    const removed = await client.post(`/account/passkeys/${id}/delete`);
    expect([removed.statusCode, removed.headers.location]).toEqual([303, '/account/passkeys']);
    expect(ctx.db.select().from(passkeys).all()).toEqual([]);
    expect(actions()).toContain('passkey.removed');
  });

  it("an admin's reset of two-step verification removes the user's passkeys too", async () => {
    await register(await signedIn(ctx.app, world.coordinator));
    const admin = await signedIn(ctx.app, world.admin);
    const reset = await admin.post(`/admin/users/${world.coordinator.id}/second-factor/reset`, { reason: 'lost phone' });
    expect(reset.statusCode).toBe(303);
    expect(ctx.db.select().from(passkeys).all()).toEqual([]);
    const event = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .find((e) => e.action === 'second_factor.reset')!;
    expect(JSON.parse(event.after!)).toEqual({ reason: 'lost phone', hadFactor: true });
    expect((await new TestClient(ctx.app).login(world.coordinator.email, world.coordinator.password)).headers.location).toBe('/');
  });
});
