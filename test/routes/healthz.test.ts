import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_FREE_BYTES, probeDatabase } from '../../db/health.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

const health = () => ctx.app.inject({ method: 'GET', url: '/healthz' });

describe('GET /healthz', () => {
  it('answers 503 {"status":"degraded"} while the database cannot be written, and ok again after', async () => {
    expect((await health()).json()).toEqual({ status: 'ok' });
    // What a read-only file or mount looks like to the connection: reads work, writes fail.
    ctx.db.$client.pragma('query_only = ON');
    const degraded = await health();
    expect(degraded.statusCode).toBe(503);
    expect(degraded.json()).toEqual({ status: 'degraded' });
    ctx.db.$client.pragma('query_only = OFF');
    const ok = await health();
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 {"status":"unavailable"} when the database does not answer at all', async () => {
    const other = await buildTestApp();
    other.db.$client.close();
    const response = await other.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable' });
    await other.app.close();
    rmSync(other.dataDir, { recursive: true, force: true });
  });
});

describe('probeDatabase', () => {
  it('is degraded when the disk is nearly full, and leaves no transaction or changed timeout behind', () => {
    expect(probeDatabase(ctx.db, ctx.dataDir, () => MIN_FREE_BYTES - 1)).toEqual({ status: 'degraded', reason: 'disk nearly full' });
    expect(probeDatabase(ctx.db, ctx.dataDir, () => MIN_FREE_BYTES)).toEqual({ status: 'ok' });
    expect(ctx.db.$client.inTransaction).toBe(false);
    expect(ctx.db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(ctx.db.$client.pragma('user_version', { simple: true })).toBe(0);
  });
});
