// npm run bench:receipts-replica -- [--count=5000] [--kb=300] [--targets-only]
// What keeping receipts inside app.sqlite would cost Litestream, against copying them to the
// replica as files: database size, the time of one full snapshot, and the per-upload copy to
// each kind of target (file://; s3:// on s3rver and sftp:// on OpenSSH's sftp-server, both on
// 127.0.0.1 — the servers the tests use — so the figures leave out the network's round trip).
// --targets-only skips the database part and measures the per-upload copies alone.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ReceiptTarget } from '../server/config.js';
import { fileStore, openReceiptStore, type ReceiptStore } from '../server/domain/receipt-targets/index.js';
import { findLitestreamBinary } from '../server/litestream.js';
import { startS3Server } from '../test/helpers/s3-server.js';
import { startSftpServer } from '../test/helpers/sftp-server.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const count = arg('count', 5000);
const bytes = arg('kb', 300) * 1024;
const targetsOnly = process.argv.includes('--targets-only');
const dir = mkdtempSync(path.join(os.tmpdir(), 'eacm-bench-receipts-'));
const dbPath = path.join(dir, 'app.sqlite');
console.log(
  `machine: ${os.availableParallelism()} cores, node ${process.version}; ${count} receipts of ${bytes / 1024} KiB (random bytes: JPEG does not compress)`,
);

try {
  if (!targetsOnly) await databaseCost();
  // The alternative: each upload copied to the replica's receipts/ and read back to compare
  // hashes — the calls mirrorReceipts makes for a new receipt, through each target's store.
  const files = path.join(dir, 'files');
  mkdirSync(files);
  const sample = Math.min(count, 200);
  for (let i = 0; i < sample; i += 1) writeFileSync(path.join(files, `r${i}`), randomBytes(bytes));
  const source = fileStore(files);
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const perUpload = async (label: string, to: ReceiptStore) => {
    const started = performance.now();
    for (let i = 0; i < sample; i += 1) {
      const name = `r${i}`;
      if (await to.get(name)) throw new Error('unexpected copy');
      const original = (await source.get(name))!;
      const hash = sha256(original);
      await to.put(name, original);
      const back = await to.get(name);
      if (!back || sha256(back) !== hash) throw new Error(`${label}: copy differs`);
    }
    const ms = (performance.now() - started) / sample;
    await to.close();
    console.log(`as files, ${label}: ${ms.toFixed(1)} ms per upload to copy and verify (${sample} receipts)`);
  };
  await perUpload('file:// target', fileStore(path.join(dir, 'replica-receipts')));
  const s3 = await startS3Server();
  try {
    const target: ReceiptTarget = {
      kind: 's3',
      bucket: s3.bucket,
      prefix: 'bench/receipts/',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKeyId: s3.credentials.LITESTREAM_ACCESS_KEY_ID,
      secretAccessKey: s3.credentials.LITESTREAM_SECRET_ACCESS_KEY,
      sessionToken: null,
    };
    await perUpload('s3:// target (s3rver on 127.0.0.1)', openReceiptStore(target));
  } finally {
    await s3.close();
  }
  const sftp = await startSftpServer();
  try {
    const target: ReceiptTarget = {
      kind: 'sftp',
      host: '127.0.0.1',
      port: sftp.port,
      username: sftp.user,
      password: sftp.password,
      keyPath: null,
      hostKeys: [sftp.hostKeyFingerprint],
      dir: `${sftp.root}/bench/receipts`,
    };
    await perUpload("sftp:// target (OpenSSH's sftp-server on 127.0.0.1, one connection per round)", openReceiptStore(target));
  } finally {
    await sftp.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function databaseCost() {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE receipt_blobs (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, bytes BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO receipt_blobs (sha256, bytes) VALUES (?, ?)');
  let started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const blob = randomBytes(bytes);
    insert.run(createHash('sha256').update(blob).digest('hex'), blob);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`in the database: ${(statSync(dbPath).size / 2 ** 20).toFixed(0)} MiB written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // One full Litestream snapshot of that file (what every new generation and daily snapshot costs).
  const config = path.join(dir, 'litestream.yml');
  writeFileSync(config, `dbs:\n  - path: ${JSON.stringify(dbPath)}\n    replicas:\n      - url: ${JSON.stringify(`file://${dir}/replica`)}\n`);
  started = performance.now();
  const elapsed = await new Promise<number>((resolve, reject) => {
    // Litestream 0.3 logs to stdout.
    const child = spawn(findLitestreamBinary(), ['replicate', '-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      log += c.toString();
      if (log.includes('snapshot written')) {
        child.kill('SIGTERM');
        resolve(performance.now() - started);
      }
    });
    child.on('exit', () => reject(new Error(`litestream stopped before a snapshot:\n${log}`)));
  });
  console.log(`one Litestream snapshot of it: ${(elapsed / 1000).toFixed(1)} s`);
}
