import { like } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loginThrottles } from '../../db/schema.js';
import { loadConfig } from '../../server/config.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';

// Issue 17, part 2: behind a proxy the sign-in limit must count the client, not the proxy; an
// X-Forwarded-For from anyone else is ignored.
let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  ctx = null;
});

const PROXY = '10.0.0.5';

/** A failed sign-in through the real form, from `peer`, with an optional X-Forwarded-For. */
async function failFrom(peer: string, forwardedFor?: string) {
  const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  const page = await ctx!.app.inject({ method: 'GET', url: '/login', remoteAddress: peer, headers });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await ctx!.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: peer,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ _csrf: token, email: 'nobody@example.org', password: 'wrong password' }).toString(),
  });
  expect(res.statusCode).toBe(401);
}
const ipKeys = () =>
  ctx!.db
    .select()
    .from(loginThrottles)
    .where(like(loginThrottles.key, 'ip:%'))
    .all()
    .map((r) => r.key)
    .sort();

describe('TRUST_PROXY', () => {
  it('off (the default): every client behind the proxy is the proxy', async () => {
    ctx = await buildTestApp();
    await failFrom(PROXY, '198.51.100.1');
    await failFrom(PROXY, '198.51.100.2');
    expect(ipKeys()).toEqual([`ip:${PROXY}`]);
  });

  it('a hop count: the client address the proxy forwarded', async () => {
    ctx = await buildTestApp({ env: { TRUST_PROXY: '1' } });
    await failFrom(PROXY, '198.51.100.1');
    await failFrom(PROXY, '198.51.100.2');
    expect(ipKeys()).toEqual(['ip:198.51.100.1', 'ip:198.51.100.2']);
  });

  it('proxy addresses: believed from the proxy, and a forged header from anyone else is ignored', async () => {
    ctx = await buildTestApp({ env: { TRUST_PROXY: `${PROXY}, 192.168.0.0/16` } });
    await failFrom(PROXY, '198.51.100.1');
    await failFrom('203.0.113.9', '198.51.100.77');
    expect(ipKeys()).toEqual(['ip:198.51.100.1', 'ip:203.0.113.9']);
  });

  it('says what it accepts when the value is wrong', () => {
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', DATA_KEY: TEST_DATA_KEY, TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY must be off, a hop count/);
    expect(loadConfig({ DATA_DIR: '/tmp/x', DATA_KEY: TEST_DATA_KEY, TRUST_PROXY: 'off' }).trustProxy).toBe(false);
  });
});
