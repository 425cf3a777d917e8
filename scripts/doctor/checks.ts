import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client.js';
import { printableReplicaUrl, type Config } from '../../server/config.js';
import { checkKeyAgainstDatabase } from '../../server/domain/key-check.js';
import { describeReceiptTarget, openReceiptStore } from '../../server/domain/receipt-targets/index.js';
import { findLitestreamBinary, litestreamYaml } from '../../server/litestream.js';

export interface Finding {
  level: 'ok' | 'warn' | 'fail';
  check: string;
  detail: string;
  /** What to do about it (empty when ok). */
  fix: string;
}
const ok = (check: string, detail: string): Finding => ({ level: 'ok', check, detail, fix: '' });

export function checkNode(version: string): Finding {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 11))
    return { level: 'fail', check: 'node', detail: `Node ${version} is older than 20.11`, fix: 'install Node 22 or 24' };
  if (major === 20)
    return { level: 'warn', check: 'node', detail: `Node ${version} is past its end of life`, fix: 'move to Node 22 or 24 (both tested in CI)' };
  return ok('node', `Node ${version}`);
}

export function checkTimezone(timeZone: string): Finding {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC'
    ? ok('clock', 'the process runs in UTC')
    : {
        level: 'warn',
        check: 'clock',
        detail: `the process time zone is ${timeZone}`,
        fix: 'run it in UTC (Environment=TZ=UTC in the systemd unit); dates in the app are Tokyo dates either way',
      };
}

/** Nobody but the service user should read the data, the key or the replica configuration. */
export function checkModes(config: Config): Finding[] {
  const findings: Finding[] = [];
  const open = (file: string, mask: number) => existsSync(file) && (statSync(file).mode & mask) !== 0;
  if (!existsSync(config.dataDir))
    return [{ level: 'fail', check: 'data dir', detail: `${config.dataDir} does not exist`, fix: `mkdir -m 700 ${config.dataDir} (or npm run db:migrate)` }];
  if (open(config.dataDir, 0o007))
    findings.push({ level: 'fail', check: 'data dir', detail: `${config.dataDir} is open to other users`, fix: `chmod 700 ${config.dataDir}` });
  for (const name of ['app.sqlite', 'app.sqlite-wal', 'data.key', 'litestream.yml']) {
    const file = path.join(config.dataDir, name);
    if (open(file, 0o077))
      findings.push({
        level: 'fail',
        check: 'file mode',
        detail: `${file} is readable by others (${(statSync(file).mode & 0o777).toString(8)})`,
        fix: `chmod 600 ${file}`,
      });
  }
  try {
    accessSync(config.dataDir, constants.W_OK);
  } catch {
    findings.push({
      level: 'fail',
      check: 'data dir',
      detail: `${config.dataDir} is not writable by this user`,
      fix: 'run as the service user, or chown the directory to it',
    });
  }
  return findings.length > 0 ? findings : [ok('file modes', `${config.dataDir} and its files are private`)];
}

export function checkKey(config: Config): Finding {
  if (!existsSync(config.databasePath))
    return {
      level: 'warn',
      check: 'key',
      detail: 'no database yet, so the key cannot be checked against it',
      fix: 'start the app once (or npm run db:migrate)',
    };
  const db = openDatabase(config.databasePath, { readonly: true });
  try {
    const verdict = checkKeyAgainstDatabase(db, config.dataKey);
    if (verdict === 'mismatch')
      return {
        level: 'fail',
        check: 'key',
        detail: 'DATA_KEY does not open the encrypted fields of this database',
        fix: 'use the key this database was created with (never change it by hand)',
      };
    return ok('key', verdict === 'match' ? 'DATA_KEY opens the encrypted fields' : 'DATA_KEY present; no encrypted field yet to test it on');
  } finally {
    db.$client.close();
  }
}

export function checkDisk(config: Config): Finding {
  const stats = statfsSync(existsSync(config.dataDir) ? config.dataDir : path.dirname(config.dataDir));
  const free = stats.bavail * stats.bsize;
  const share = stats.bavail / stats.blocks;
  const detail = `${(free / 2 ** 30).toFixed(1)} GiB free (${Math.round(share * 100)}%)`;
  if (free < 2 ** 30 || share < 0.1)
    return { level: 'fail', check: 'disk', detail, fix: 'free space or grow the disk: the WAL, backups and restores need room' };
  return ok('disk', detail);
}

/** Ask Litestream to list the replica's snapshots: it reaches the target with the same credentials the app uses. */
export function checkReplica(config: Config, env: Record<string, string | undefined>): Finding {
  if (!config.replica)
    return {
      level: 'warn',
      check: 'replica',
      detail: 'REPLICA_URL is not set: only nightly backups protect the data',
      fix: 'set REPLICA_URL (see README, Replication)',
    };
  let binary: string;
  try {
    binary = findLitestreamBinary();
  } catch (error) {
    return { level: 'fail', check: 'replica', detail: (error as Error).message, fix: 'run on linux or macOS (x64, arm64), or unset REPLICA_URL' };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'eacm-doctor-'));
  const file = path.join(dir, 'litestream.yml');
  writeFileSync(file, litestreamYaml(config.databasePath, config.replica, { metrics: false }), { mode: 0o600 });
  const result = spawnSync(binary, ['snapshots', '-config', file, config.databasePath], { encoding: 'utf8', env, timeout: 30_000 });
  rmSync(dir, { recursive: true, force: true });
  // Litestream 0.3 exits 0 even when it cannot list the replica; its log line says ERROR.
  const error = /level=ERROR msg="([^"]*)" error="([^"\n]*)/.exec(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0 || error) {
    const why = error ? `${error[1]}: ${error[2]}` : (result.stderr || result.stdout).trim().split('\n').pop();
    return {
      level: 'fail',
      check: 'replica',
      detail: `cannot reach ${printableReplicaUrl(config.replica.url)} (${why})`,
      fix: 'check the URL, REPLICA_ENDPOINT and the credentials in the environment',
    };
  }
  const snapshots = result.stdout.split('\n').filter((l) => /^\S+\s+[0-9a-f]{16}\s/.test(l)).length;
  return ok('replica', `${printableReplicaUrl(config.replica.url)} answers (${snapshots} snapshot${snapshots === 1 ? '' : 's'})`);
}

const RECEIPT_FIXES = {
  file: (where: string) => `make ${where} writable by the service user (a mounted disk or share), or fix REPLICA_URL`,
  s3: (where: string) =>
    `check the bucket, REPLICA_ENDPOINT and AWS_REGION, and that the key in LITESTREAM_ACCESS_KEY_ID (or AWS_ACCESS_KEY_ID) may put, get and delete objects under ${where}`,
  sftp: (where: string) =>
    `check the host, the user, its password in REPLICA_URL or REPLICA_SFTP_KEY_PATH, REPLICA_SFTP_HOST_KEY against the server's own fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it), and that the user may write ${where}`,
};

/**
 * The app writes receipt files to the replica itself (not through Litestream): put a probe
 * object into receipts/, read it back, compare, delete it — with the app's own client and credentials.
 */
export async function checkReceiptTarget(config: Config): Promise<Finding | null> {
  if (!config.replica) return null;
  const target = config.replica.receipts;
  const where = describeReceiptTarget(target);
  const store = openReceiptStore(target);
  const probe = `doctor-probe-${randomBytes(8).toString('hex')}`;
  const bytes = randomBytes(64);
  try {
    await store.put(probe, bytes);
    const back = await store.get(probe);
    await store.delete(probe);
    if (!back?.equals(bytes))
      return {
        level: 'fail',
        check: 'replica receipts',
        detail: `${where} gave back a different file than was written`,
        fix: RECEIPT_FIXES[target.kind](where),
      };
    return ok('replica receipts', `${where} takes a receipt file and gives it back unchanged`);
  } catch (error) {
    return {
      level: 'fail',
      check: 'replica receipts',
      detail: `cannot write receipt files to ${where} (${(error as Error).message})`,
      fix: RECEIPT_FIXES[target.kind](where),
    };
  } finally {
    await store.close();
  }
}
