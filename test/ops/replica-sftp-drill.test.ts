import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { printableReplicaUrl } from '../../server/config.js';
import { loadVerifiedReceipts } from '../../server/domain/receipt-mirror-state.js';
import { startSftpServer, type SftpServer } from '../helpers/sftp-server.js';
import { waitFor } from '../helpers/wait.js';
import {
  addReceiptBehindTheApp,
  createCaseOverHttp,
  prepareDatabase,
  replicaEnv,
  runRestoreReplicaAsync,
  signInSupporter,
  startReplicated,
  tempDir,
  type ReplicatedApp,
} from './replica-harness.js';

// Issue 17 end to end on a network target: the real Litestream and the app write to one sftp://
// replica (OpenSSH's sftp-server behind the test's SSH server), and restore:replica brings back
// the database and a receipt. It is the check that Litestream's generations/ and the app's
// receipts/ land side by side. (From s3:// this cannot run against s3rver: see BENCHMARKS.md.)
let app: ReplicatedApp | null = null;
let sftp: SftpServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  if (app?.process.pid && app.process.exitCode === null) process.kill(-app.process.pid, 'SIGKILL');
  app = null;
  await sftp?.close();
  sftp = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};

describe('the replica drill over sftp://', () => {
  it('Litestream and the app replicate to one SFTP server (key sign-in), and restore:replica brings the database and a receipt back', async () => {
    sftp = await startSftpServer();
    const [dataDir, restoredDir] = [dir('sftp-drill-data'), dir('sftp-drill-restored')];
    const supporter = await prepareDatabase(dataDir);
    const replicaPath = path.join(sftp.root, 'tokyo');
    const env = {
      ...(await replicaEnv(dataDir, '/unused')),
      REPLICA_URL: `sftp://${sftp.user}@127.0.0.1:${sftp.port}${replicaPath}`,
      REPLICA_SFTP_KEY_PATH: sftp.keyPath,
      REPLICA_SFTP_HOST_KEY: sftp.hostKeyFingerprint,
    };
    app = await startReplicated(env);
    const caseId = await createCaseOverHttp(await signInSupporter(app, supporter));
    const receipt = addReceiptBehindTheApp(dataDir, caseId);
    const copy = path.join(replicaPath, 'receipts', receipt.name);
    await waitFor(() => existsSync(copy), 30_000);
    expect(readFileSync(copy).equals(receipt.bytes)).toBe(true);
    // A clean stop: litestream waits for the app, then makes its last sync.
    const exited = new Promise((r) => app!.process.once('exit', r));
    app.process.kill('SIGTERM');
    await exited;
    expect(readdirSync(replicaPath).sort()).toEqual(['generations', 'receipts']);

    const target = path.join(restoredDir, 'data');
    const restored = await runRestoreReplicaAsync({ ...env, DATA_DIR: dataDir }, ['--to', target]);
    expect(restored.status, restored.output).toBe(0);
    expect(restored.output).toContain('1 receipt files restored and verified by hash');
    const db = openDatabase(path.join(target, 'app.sqlite'), { readonly: true });
    expect(db.$client.prepare('SELECT id FROM cases WHERE id = ?').get(caseId)).toBeDefined();
    db.$client.close();
    expect(readFileSync(path.join(target, 'receipts', receipt.name)).equals(receipt.bytes)).toBe(true);
    // What came back verified is on the replica verified: the first start there reads none of it again.
    expect(loadVerifiedReceipts(target, printableReplicaUrl(env.REPLICA_URL))).toEqual(new Set([receipt.name]));
  }, 60_000);
});
