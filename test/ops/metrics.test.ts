import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

const TOKEN = 'a-metrics-token-of-some-length';
let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  ctx = null;
});

const scrape = (token?: string) => ctx!.app.inject({ method: 'GET', url: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} });
/** The value of one series in Prometheus text, e.g. value(text, 'sessions_active'). */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
};

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    ctx = await buildTestApp();
    expect((await scrape()).statusCode).toBe(404);
    expect((await scrape(TOKEN)).statusCode).toBe(404);
  });

  it('answers only the bearer of the token', async () => {
    ctx = await buildTestApp({ env: { METRICS_TOKEN: TOKEN } });
    const anonymous = await scrape();
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect((await scrape(`${TOKEN}x`)).statusCode).toBe(401);
    expect((await scrape('a-metrics-token-of-some-lengtH')).statusCode).toBe(401);
    const ok = await scrape(TOKEN);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/plain');
  });

  it('counts requests by route, writes, sessions, login failures and report tasks', async () => {
    ctx = await buildTestApp({ env: { METRICS_TOKEN: TOKEN } });
    const w = await makeWorld(ctx.db);
    const failed = new TestClient(ctx.app);
    expect((await failed.login(w.coordinator.email, 'not the password')).statusCode).toBe(401);
    const coordinator = await signedIn(ctx.app, w.coordinator);
    expect((await coordinator.get('/reports?from=2025-06-01&to=2025-06-30')).statusCode).toBe(200);
    expect((await coordinator.get('/cases/999999')).statusCode).toBe(404);

    const text = (await scrape(TOKEN)).body;
    expect(value(text, 'login_failures_total{reason="wrong_credentials"}')).toBe(1);
    expect(value(text, 'sessions_active')).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count{method="POST",route="/login",status="303"}')).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count{method="GET",route="/cases/:id",status="404"}')).toBe(1);
    expect(value(text, 'figures_worker_job_duration_seconds_count')).toBe(1);
    expect(value(text, 'figures_worker_queue_length')).toBe(0);
    // Signing in writes the session and its audit event in one transaction (the failure too).
    expect(value(text, 'db_commits_total')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'db_write_transaction_duration_seconds_count')).toBe(value(text, 'db_commits_total'));
    expect(text).not.toContain('replication_lag_seconds');
  });
});
