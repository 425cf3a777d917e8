import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { waitFor } from '../helpers/wait.js';
import {
  addReceiptBehindTheApp,
  createCaseOverHttp,
  prepareDatabase,
  replicaEnv,
  runRestoreReplica,
  signInSupporter,
  startReplicated,
  tempDir,
  type ReplicatedApp,
} from './replica-harness.js';

// Issue 17, part 1: the disk dies mid-write; the replica brings back every acknowledged record
// older than a second.
const dirs: string[] = [];
let app: ReplicatedApp | null = null;
afterEach(() => {
  if (app?.process.pid && app.process.exitCode === null) process.kill(-app.process.pid, 'SIGKILL');
  app = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
const caseIds = (dataDir: string) => {
  const db = openDatabase(path.join(dataDir, 'app.sqlite'), { readonly: true });
  const ids = new Set((db.$client.prepare('SELECT id FROM cases').all() as { id: number }[]).map((r) => r.id));
  db.$client.close();
  return ids;
};

describe('the replica drill', () => {
  it('kill -9 mid-write, DATA_DIR deleted: the restore holds every record acknowledged over a second before', async () => {
    const [dataDir, replicaDir, restoredDir] = [dir('drill-data'), dir('drill-replica'), dir('drill-restored')];
    const supporter = await prepareDatabase(dataDir);
    const env = await replicaEnv(dataDir, replicaDir);
    app = await startReplicated(env);
    const session = await signInSupporter(app, supporter);

    const acknowledged: { id: number; at: number }[] = [];
    const started = Date.now();
    while (Date.now() - started < 4000) acknowledged.push({ id: await createCaseOverHttp(session), at: Date.now() });
    // Still writing: the next request is in flight when the machine "dies".
    void createCaseOverHttp(session).catch(() => undefined);
    const killedAt = Date.now();
    process.kill(-app.process.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });

    const restored = runRestoreReplica({ ...env, DATA_DIR: dataDir }, ['--to', path.join(restoredDir, 'data')]);
    expect(restored.output).toContain('audit chain verified');
    expect(restored.status).toBe(0);
    const present = caseIds(path.join(restoredDir, 'data'));
    const mustHave = acknowledged.filter((a) => a.at < killedAt - 1000);
    expect(mustHave.length).toBeGreaterThan(10);
    expect(mustHave.filter((a) => !present.has(a.id))).toEqual([]);
    const lost = acknowledged.filter((a) => !present.has(a.id));
    const window = lost.length === 0 ? 0 : killedAt - Math.min(...lost.map((a) => a.at));
    console.log(`replica drill: ${acknowledged.length} cases acknowledged in 4 s, ${lost.length} lost, loss window ${window} ms`);
  }, 90_000);

  it('restores the state at a moment between two known writes', async () => {
    const [dataDir, replicaDir, restoredDir] = [dir('pitr-data'), dir('pitr-replica'), dir('pitr-restored')];
    const supporter = await prepareDatabase(dataDir);
    const env = await replicaEnv(dataDir, replicaDir);
    app = await startReplicated(env);
    const session = await signInSupporter(app, supporter);
    const first = await createCaseOverHttp(session);
    await new Promise((r) => setTimeout(r, 2000));
    const between = new Date();
    await new Promise((r) => setTimeout(r, 2000));
    const second = await createCaseOverHttp(session);
    // A receipt as an upload leaves it (file, then row); the app's next mirror round copies it.
    const receipt = addReceiptBehindTheApp(dataDir, second);
    await waitFor(() => existsSync(path.join(replicaDir, 'receipts', receipt.name)), 30_000);
    // A clean stop: litestream waits for the app, then makes its last sync.
    const exited = new Promise((r) => app!.process.once('exit', r));
    app.process.kill('SIGTERM');
    await exited;

    const target = path.join(restoredDir, 'data');
    const restored = runRestoreReplica({ ...env, DATA_DIR: dataDir }, ['--to', target, '--timestamp', between.toISOString()]);
    expect(restored.status, restored.output).toBe(0);
    expect(caseIds(target).has(first)).toBe(true);
    expect(caseIds(target).has(second)).toBe(false);

    // And the newest state has both; a second restore into the same directory is refused.
    const newest = path.join(restoredDir, 'newest');
    const newestRun = runRestoreReplica({ ...env, DATA_DIR: dataDir }, ['--to', newest]);
    expect(newestRun.status, newestRun.output).toBe(0);
    expect([...caseIds(newest)]).toEqual(expect.arrayContaining([first, second]));
    expect(readFileSync(path.join(newest, 'receipts', receipt.name)).equals(receipt.bytes)).toBe(true);
    expect(runRestoreReplica({ ...env, DATA_DIR: dataDir }, ['--to', path.join(restoredDir, 'third')]).output).toContain(
      '1 receipt files restored and verified by hash',
    );
    const again = runRestoreReplica({ ...env, DATA_DIR: dataDir }, ['--to', newest]);
    expect(again.status).toBe(1);
    expect(again.output).toContain('fresh directory');
    expect(readdirSync(replicaDir)).toContain('generations');
  }, 90_000);
});
