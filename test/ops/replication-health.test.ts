import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { createReplicationTracker, parseLitestreamMetrics } from '../../server/domain/replication.js';
import { buildTestApp, makeTestConfig, type TestContext } from '../helpers/app.js';
import { waitFor } from '../helpers/wait.js';

const metrics = (shadow: [number, number], replica: [number, number]) =>
  [
    `litestream_shadow_wal_index{db="/x/app.sqlite"} ${shadow[0]}`,
    `litestream_shadow_wal_size{db="/x/app.sqlite"} ${shadow[1]}`,
    `litestream_replica_wal_index{db="/x/app.sqlite",name="file"} ${replica[0]}`,
    `litestream_replica_wal_offset{db="/x/app.sqlite",name="file"} ${replica[1]}`,
  ].join('\n');

describe('replication lag from Litestream metrics', () => {
  it('reads both positions, and nothing from text without them', () => {
    expect(parseLitestreamMetrics(metrics([2, 4120], [1, 9000]))).toEqual({ shadow: { index: 2, offset: 4120 }, replica: { index: 1, offset: 9000 } });
    expect(parseLitestreamMetrics('litestream_db_size 16384')).toBeNull();
  });

  it('is the age of the newest sample the replica has reached', () => {
    const t = createReplicationTracker(0);
    expect(t.status(5_000)).toEqual({ lag_s: 5, last_ok: null });
    t.observe(10_000, { shadow: { index: 0, offset: 100 }, replica: { index: 0, offset: 100 } });
    expect(t.status(10_000)).toEqual({ lag_s: 0, last_ok: new Date(10_000).toISOString() });
    // Writes the replica has not reached yet: the lag counts from the last reached sample.
    t.observe(12_000, { shadow: { index: 0, offset: 500 }, replica: { index: 0, offset: 100 } });
    t.observe(14_000, { shadow: { index: 0, offset: 900 }, replica: { index: 0, offset: 500 } });
    expect(t.status(14_000).lag_s).toBe(2);
    // A later WAL index counts as reaching everything before it; an unreachable Litestream confirms nothing.
    t.observe(16_000, { shadow: { index: 1, offset: 0 }, replica: { index: 1, offset: 0 } });
    t.observe(80_000, null);
    expect(t.status(80_000)).toEqual({ lag_s: 64, last_ok: new Date(16_000).toISOString() });
  });
});

describe('/healthz with a replica', () => {
  let ctx: TestContext | null = null;
  let server: Server | null = null;
  afterEach(async () => {
    await ctx?.close();
    ctx = null;
    await new Promise((r) => (server ? server.close(r) : r(null)));
    server = null;
  });

  async function fakeLitestream(body: string): Promise<number> {
    server = createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  it('reports the lag and last success while the replica keeps up', async () => {
    const port = await fakeLitestream(metrics([0, 4000], [0, 4000]));
    ctx = await buildTestApp({ env: { REPLICA_URL: 'file:///tmp/replica', REPLICA_METRICS_PORT: String(port) } });
    // The first poll runs on ready; wait for its answer rather than guess how long it takes.
    const health = () => ctx!.app.inject({ method: 'GET', url: '/healthz' });
    await waitFor(async () => (await health()).json().replication.last_ok !== null);
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', replication: { lag_s: 0 } });
    expect(Date.parse(res.json().replication.last_ok)).toBeGreaterThan(Date.now() - 5000);
  });

  it('answers 503 once the replica is further behind than REPLICA_MAX_LAG_S', async () => {
    const port = await fakeLitestream(metrics([3, 0], [2, 7000]));
    ctx = await buildTestApp({ env: { REPLICA_URL: 'file:///tmp/replica', REPLICA_METRICS_PORT: String(port), REPLICA_MAX_LAG_S: '1' } });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'replica_behind', replication: { last_ok: null } });
    expect(res.json().replication.lag_s).toBeGreaterThanOrEqual(2);
  });

  it('stays as it was without a replica', async () => {
    ctx = await buildTestApp();
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('checkpoints under Litestream', () => {
  it('the app makes no automatic checkpoint on a replicated database, and the usual ones otherwise', () => {
    const { config } = makeTestConfig();
    const replicated = openDatabase(config.databasePath, { replicated: true });
    expect(replicated.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    replicated.$client.close();
    const plain = openDatabase(path.join(config.dataDir, 'plain.sqlite'));
    expect(plain.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    plain.$client.close();
  });
});
