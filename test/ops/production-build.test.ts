import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { freePorts } from '../helpers/ports.js';

// `npm run build` then plain `node dist/...`: no tsx anywhere in the process (issue 17, part 2).
const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist');
let dataDir: string;
let server: ChildProcess | null = null;

beforeAll(() => {
  execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/build.ts')], { cwd: root, stdio: 'pipe' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-build-'));
}, 180_000);
afterAll(() => {
  if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({ PATH: process.env.PATH, DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY, NODE_ENV: 'production', LOG_LEVEL: 'warn' });

describe('the production build', () => {
  it('serves pages, assets and health from dist/ with node alone, under Litestream as npm start runs it', { timeout: 90_000 }, async () => {
    const [port, metricsPort] = (await freePorts(2)) as [number, number];
    const replica = `file://${path.join(dataDir, 'replica')}`;
    server = spawn(process.execPath, [path.join(dist, 'server/start.js')], {
      cwd: tmpdir(),
      env: { ...env(), PORT: String(port), REPLICA_URL: replica, REPLICA_METRICS_PORT: String(metricsPort) },
      detached: true,
    });
    let output = '';
    server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600 && !output.includes('is serving on'); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('is serving on');
    // Litestream's metrics answer a moment after the app: give the first polls time.
    await new Promise((r) => setTimeout(r, 4500));
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', replication: { lag_s: expect.any(Number) } });
    expect((await fetch(`${base}/login`)).status).toBe(200);
    const css = await fetch(`${base}/assets/app.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(100);
  });

  it('runs the figures worker from its compiled .js file, without eval', { timeout: 90_000 }, () => {
    const pool = readFileSync(path.join(dist, 'server/domain/figures-pool.js'), 'utf8');
    expect(pool).not.toMatch(/eval:\s*true/);
    const script = `
      const { openDatabase } = await import(${JSON.stringify(path.join(dist, 'db/client.js'))});
      const { migrateDatabase } = await import(${JSON.stringify(path.join(dist, 'db/migrate.js'))});
      const { createFiguresRunner } = await import(${JSON.stringify(path.join(dist, 'server/domain/figures-pool.js'))});
      const db = openDatabase(${JSON.stringify(path.join(dataDir, 'worker.sqlite'))});
      migrateDatabase(db);
      const runner = createFiguresRunner(db);
      const actor = { userId: 1, role: 'auditor', organizationId: 1, isAdmin: false, displayName: 'x', locale: 'ja' };
      const query = { from: '2025-06-01', to: '2025-06-30', organizationId: null, fundId: null, includePending: false };
      const summary = await runner.run({ kind: 'summary', actor, query });
      await runner.close();
      console.log(JSON.stringify({ mode: runner.mode, categories: summary.byCategory.length, total: summary.total }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), env: env(), encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ mode: 'worker', categories: 7, total: 0 });
  });

  it('runs the import worker from its compiled .js file, without eval', { timeout: 90_000 }, () => {
    const pool = readFileSync(path.join(dist, 'server/domain/imports/import-pool.js'), 'utf8');
    expect(pool).not.toMatch(/eval:\s*true/);
    const script = `
      const { openDatabase } = await import(${JSON.stringify(path.join(dist, 'db/client.js'))});
      const { migrateDatabase } = await import(${JSON.stringify(path.join(dist, 'db/migrate.js'))});
      const { createImportRunner } = await import(${JSON.stringify(path.join(dist, 'server/domain/imports/import-pool.js'))});
      const db = openDatabase(${JSON.stringify(path.join(dataDir, 'import.sqlite'))});
      migrateDatabase(db);
      const runner = createImportRunner(db, Buffer.alloc(32, 7));
      const bytes = new TextEncoder().encode('日付,金額\\n2025-06-01,1000\\n');
      const read = await runner.run({ kind: 'parse', bytes, fileName: 'a.csv', sheet: null });
      await runner.close();
      console.log(JSON.stringify({ ok: read.ok }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), env: env(), encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ ok: true });
  });

  it('runs the HEIC worker from its compiled .js file, without eval', { timeout: 90_000 }, () => {
    const pool = readFileSync(path.join(dist, 'server/domain/heic-pool.js'), 'utf8');
    expect(pool).not.toMatch(/eval:\s*true/);
    const fixture = path.join(root, 'test/fixtures/receipt-gps.heic');
    const script = `
      const { readFileSync } = await import('node:fs');
      const { threadId } = await import('node:worker_threads');
      const { createHeicConverter } = await import(${JSON.stringify(path.join(dist, 'server/domain/heic-pool.js'))});
      const converter = createHeicConverter();
      const jpeg = await converter.convert(readFileSync(${JSON.stringify(fixture)}));
      const stats = converter.stats();
      await converter.close();
      console.log(JSON.stringify({ jpeg: jpeg.subarray(0, 2).toString('hex'), done: stats.done, offThread: stats.lastThreadId !== threadId }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir(), env: env(), encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ jpeg: 'ffd8', done: 1, offThread: true });
  });
});
