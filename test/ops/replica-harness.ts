import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { receipts } from '../../db/schema.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { HttpSession } from '../../scripts/bench/http-session.js';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { freePorts } from '../helpers/ports.js';
import { makeAuditedDisbursement } from '../helpers/audited-money.js';
import { makeOrganization, makeUser, type MadeUser } from '../helpers/factories.js';

// The app as `npm start` runs it with REPLICA_URL=file://…: litestream replicate -exec the app.
export const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface ReplicatedApp {
  base: string;
  process: ChildProcess;
  env: Record<string, string>;
}

export const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), `eacm-${prefix}-`));

/** A migrated database with one supporter, before the app starts on it. */
export async function prepareDatabase(dataDir: string): Promise<MadeUser> {
  // Its events are chained under the same key the app is started with.
  const db = bindAuditKey(openDatabase(path.join(dataDir, 'app.sqlite')), Buffer.from(TEST_DATA_KEY, 'base64'));
  migrateDatabase(db);
  const group = makeOrganization(db, { code: 'TKY', name: 'Tokyo group' });
  const supporter = await makeUser(db, { role: 'supporter', organizationId: group.id });
  db.$client.close();
  return supporter;
}

export async function replicaEnv(dataDir: string, replicaDir: string): Promise<Record<string, string>> {
  const [port, metricsPort] = (await freePorts(2)) as [number, number];
  return {
    PATH: process.env.PATH ?? '',
    DATA_DIR: dataDir,
    DATA_KEY: TEST_DATA_KEY,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    // The drill writes as fast as it can for seconds: the per-IP limit would answer 429 on a quick machine.
    RATE_LIMIT_PER_MINUTE: '10000000',
    PORT: String(port),
    REPLICA_URL: `file://${replicaDir}`,
    REPLICA_METRICS_PORT: String(metricsPort),
  };
}

/** Start in its own process group, so kill -9 takes litestream and the app down together. */
export async function startReplicated(env: Record<string, string>): Promise<ReplicatedApp> {
  const child = spawn(tsx, [path.join(root, 'server/start.ts')], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const base = `http://127.0.0.1:${env.PORT}`;
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).status !== 0) return { base, process: child, env };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the replicated app did not start:\n${output}`);
}

export async function signInSupporter(app: ReplicatedApp, user: MadeUser): Promise<HttpSession> {
  return HttpSession.signIn(app.base, user.email, user.password, '/cases/new');
}

/** POST /cases; the id from the Location header once the app has answered (acknowledged). */
export async function createCaseOverHttp(session: HttpSession): Promise<number> {
  const result = await session.post('/cases', { householdSize: '1', idempotencyKey: newFormKey() });
  const id = /\/cases\/(\d+)/.exec(result.location ?? '');
  if (result.status !== 303 || !id) throw new Error(`case not created: ${result.status} ${result.location}`);
  return Number(id[1]);
}

export function runRestoreReplica(env: Record<string, string>, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(tsx, [path.join(root, 'scripts/restore-replica.ts'), ...args], { cwd: root, env, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** A receipt as an upload leaves it (file, then row), written beside the running app; the app mirrors it within 5 s. */
export function addReceiptBehindTheApp(dataDir: string, caseId: number): { name: string; bytes: Buffer } {
  const name = `${randomBytes(8).toString('hex')}.jpg`;
  const bytes = randomBytes(4096);
  mkdirSync(path.join(dataDir, 'receipts'), { recursive: true });
  writeFileSync(path.join(dataDir, 'receipts', name), bytes);
  const db = bindAuditKey(openDatabase(path.join(dataDir, 'app.sqlite'), { replicated: true }), Buffer.from(TEST_DATA_KEY, 'base64'));
  const c = db.$client.prepare('SELECT created_by AS userId FROM cases WHERE id = ?').get(caseId) as { userId: number };
  const d = makeAuditedDisbursement(db, {
    caseId,
    submittedBy: c.userId,
    paidOn: '2025-06-10',
    status: 'pending',
    lines: [{ category: 'food', amount: 1000 }],
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  db.insert(receipts)
    .values({
      disbursementId: d.id,
      storageName: name,
      mediaType: 'image/jpeg',
      byteSize: bytes.length,
      sha256,
      uploadedBy: c.userId,
      uploadedAt: '2025-06-10T00:00:00Z',
    })
    .run();
  db.$client.close();
  return { name, bytes };
}

/** npm run restore:replica without blocking this process (a replica server may live in it). */
export function runRestoreReplicaAsync(env: Record<string, string>, args: string[]): Promise<{ status: number | null; output: string }> {
  const child = spawn(tsx, [path.join(root, 'scripts/restore-replica.ts'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, output })));
}
