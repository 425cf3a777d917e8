import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReceiptTarget } from '../../scripts/doctor/checks.js';
import { buildApp } from '../../server/app.js';
import { manualClock } from '../../server/domain/clock.js';
import { mirrorReceipts, restoreReceipts, restoreReport } from '../../server/domain/receipt-mirror.js';
import { fileStore, openReceiptStore } from '../../server/domain/receipt-targets/index.js';
import { receiptsDir } from '../../server/domain/receipts.js';
import { captureLog } from '../helpers/app.js';
import { databaseWithReplica, storeReceipt } from '../helpers/receipt-rows.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { waitFor } from '../helpers/wait.js';

// Issue 17: receipts reach an s3:// replica with the same guarantee as a file:// one, against a
// real S3 API (s3rver on 127.0.0.1: the S3 protocol and its errors), never a mock.
// Litestream itself against s3rver was tried and is not tested here: `litestream replicate`
// writes its snapshot and WAL segments there, but s3rver 3.7.1 answers a listing with
// delimiter "/" without the CommonPrefixes for keys two levels down, so Litestream finds no
// generation and `litestream restore` says "no matching backups found" (see BENCHMARKS.md).
let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.close());

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The bucket as anyone with the keys sees it: the layout, and a way to damage an object. */
const bucket = () => {
  const client = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'us-east-1' });
  const url = (key: string) => `${s3.endpoint}/${s3.bucket}/${key}`;
  return {
    get: async (key: string) => {
      const r = await client.fetch(url(key));
      return r.ok ? Buffer.from(await r.arrayBuffer()) : r.status;
    },
    put: async (key: string, body: string) => expect((await client.fetch(url(key), { method: 'PUT', body })).status).toBe(200),
  };
};

describe('receipt files follow the database to an s3:// replica', () => {
  it('copies each file once under <path>/receipts/, reads it back to verify, re-copies a damaged copy, and the restore brings it back by hash', async () => {
    const local = databaseWithReplica({ REPLICA_URL: `s3://${s3.bucket}/tokyo`, REPLICA_ENDPOINT: s3.endpoint, ...s3.credentials });
    try {
      const receipt = await storeReceipt(local.db, local.dataDir);
      const target = local.config.replica!.receipts;
      const source = fileStore(receiptsDir(local.dataDir));
      const verified = new Set<string>();
      expect(await mirrorReceipts(local.db, source, openReceiptStore(target), verified)).toEqual({ copied: 1, missing: [], mismatched: [], damaged: [] });
      const key = `tokyo/receipts/${receipt.name}`;
      expect(await bucket().get(key)).toEqual(receipt.bytes);
      // The next round has nothing to do; after a restart each copy is read back once, and stays.
      expect(await mirrorReceipts(local.db, source, openReceiptStore(target), verified)).toEqual({ copied: 0, missing: [], mismatched: [], damaged: [] });
      expect(await mirrorReceipts(local.db, source, openReceiptStore(target), new Set())).toEqual({ copied: 0, missing: [], mismatched: [], damaged: [] });

      // Someone overwrites the object: detected by its hash, removed, copied again next round.
      await bucket().put(key, 'not the receipt');
      expect((await mirrorReceipts(local.db, source, openReceiptStore(target), new Set())).mismatched).toEqual([receipt.name]);
      expect(await bucket().get(key)).toBe(404);
      expect((await mirrorReceipts(local.db, source, openReceiptStore(target), new Set())).copied).toBe(1);
      expect(sha((await bucket().get(key)) as Buffer)).toBe(sha(receipt.bytes));

      // restore:replica's receipt part, into an empty directory.
      const restoredDir = path.join(local.dataDir, 'restored', 'receipts');
      const restored = await restoreReceipts(local.db, target, restoredDir);
      expect(restored).toEqual({ copied: 1, missing: [], mismatched: [], damaged: [] });
      expect(readFileSync(path.join(restoredDir, receipt.name)).equals(receipt.bytes)).toBe(true);
      expect(restoreReport(restored)).toEqual({ ok: true, lines: ['  1 receipt files restored and verified by hash.'] });

      // A replica copy that no longer matches is not restored, and the restore says which to fetch.
      await bucket().put(key, 'bit rot');
      const damaged = await restoreReceipts(local.db, target, path.join(local.dataDir, 'again'));
      expect(damaged.damaged).toEqual([receipt.name]);
      expect(restoreReport(damaged)).toMatchObject({
        ok: false,
        lines: [expect.any(String), expect.stringContaining(`do not match the hash the database holds`)],
      });
    } finally {
      local.close();
    }
  });

  it('says what the store answered to wrong credentials, without naming the object', async () => {
    const local = databaseWithReplica({
      REPLICA_URL: `s3://${s3.bucket}/tokyo`,
      REPLICA_ENDPOINT: s3.endpoint,
      // s3rver checks the access key but does not recompute SigV4 signatures: a wrong key it does refuse.
      LITESTREAM_ACCESS_KEY_ID: 'NOT-A-KEY',
      LITESTREAM_SECRET_ACCESS_KEY: 'S3RVER',
    });
    try {
      const receipt = await storeReceipt(local.db, local.dataDir);
      const error = await mirrorReceipts(local.db, fileStore(receiptsDir(local.dataDir)), openReceiptStore(local.config.replica!.receipts), new Set()).catch(
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('the S3 store answered 403 InvalidAccessKeyId to a GET');
      expect((error as Error).message).not.toContain(receipt.name);
    } finally {
      local.close();
    }
  });

  it('npm run doctor puts, reads back and deletes a probe object, and gives a fix when it cannot', async () => {
    const good = databaseWithReplica({ REPLICA_URL: `s3://${s3.bucket}/doctor`, REPLICA_ENDPOINT: s3.endpoint, ...s3.credentials });
    const bad = databaseWithReplica({ REPLICA_URL: 's3://no-such-bucket/doctor', REPLICA_ENDPOINT: s3.endpoint, ...s3.credentials });
    try {
      expect(await checkReceiptTarget(good.config)).toMatchObject({ level: 'ok', detail: expect.stringContaining('gives it back unchanged') });
      expect(await checkReceiptTarget(bad.config)).toMatchObject({
        level: 'fail',
        detail: expect.stringContaining('answered 404 NoSuchBucket to a PUT'),
        fix: expect.stringContaining('may put, get and delete objects under s3://no-such-bucket/doctor/receipts/'),
      });
    } finally {
      good.close();
      bad.close();
    }
  });

  it('the app mirrors to the bucket as it starts, and its log holds counts, never a receipt name', async () => {
    const local = databaseWithReplica({ REPLICA_URL: `s3://${s3.bucket}/app`, REPLICA_ENDPOINT: s3.endpoint, ...s3.credentials, LOG_LEVEL: 'trace' });
    const lines: string[] = [];
    const app = await buildApp({ config: local.config, db: local.db, clock: manualClock('2025-06-15T03:00:00Z'), logger: true, logStream: captureLog(lines) });
    try {
      const receipt = await storeReceipt(local.db, local.dataDir);
      // A name the database holds with no file: the log counts it without naming it.
      const lost = await storeReceipt(local.db, local.dataDir);
      rmSync(path.join(receiptsDir(local.dataDir), lost.name));
      await app.ready();
      let copy: Buffer | number = 404;
      await waitFor(async () => (copy = await bucket().get(`app/receipts/${receipt.name}`)) !== 404, 30_000);
      expect(copy).toEqual(receipt.bytes);
      await waitFor(() => lines.some((l) => l.includes('receipt files not mirrored')), 30_000);
      const warning = JSON.parse(lines.find((l) => l.includes('receipt files not mirrored'))!) as Record<string, unknown>;
      expect(warning).toMatchObject({ missing: 1, mismatched: 0, damaged: 0 });
      expect(lines.join('\n')).not.toContain(receipt.name.slice(0, 16));
      expect(lines.join('\n')).not.toContain(lost.name.slice(0, 16));
      expect(lines.join('\n')).not.toContain('file:// replicas');
    } finally {
      await app.close();
      local.close();
    }
  });
});
