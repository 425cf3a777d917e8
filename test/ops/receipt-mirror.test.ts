import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig, printableReplicaUrl, type Config } from '../../server/config.js';
import { manualClock } from '../../server/domain/clock.js';
import { MIRROR_STATE_FILE } from '../../server/domain/receipt-mirror-state.js';
import { mirrorReceipts } from '../../server/domain/receipt-mirror.js';
import { fileStore } from '../../server/domain/receipt-targets/index.js';
import { receiptsDir } from '../../server/domain/receipts.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { databaseWithReplica, storeReceipt } from '../helpers/receipt-rows.js';
import { waitFor } from '../helpers/wait.js';

let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  ctx = null;
});

const storedReceipt = async (name: string) => (await storeReceipt(ctx!.db, ctx!.dataDir, name)).bytes;

describe('receipt files follow the database to a file:// replica', () => {
  it('copies each file once, verified by the hash the database holds', async () => {
    ctx = await buildTestApp();
    const bytes = await storedReceipt('a1.jpg');
    const target = path.join(ctx.dataDir, 'replica', 'receipts');
    const verified = new Set<string>();
    const source = fileStore(receiptsDir(ctx.dataDir));
    expect(await mirrorReceipts(ctx.db, source, fileStore(target), verified)).toEqual({ copied: 1, missing: [], mismatched: [], damaged: [] });
    expect(readFileSync(path.join(target, 'a1.jpg')).equals(bytes)).toBe(true);
    expect((await mirrorReceipts(ctx.db, source, fileStore(target), verified)).copied).toBe(0);
  });

  it('removes a damaged copy to try again, names a file that is gone, and never copies a damaged original', async () => {
    ctx = await buildTestApp();
    await storedReceipt('b2.jpg');
    const source = fileStore(receiptsDir(ctx.dataDir));
    const target = path.join(ctx.dataDir, 'replica', 'receipts');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'b2.jpg'), 'not the receipt');
    expect(await mirrorReceipts(ctx.db, source, fileStore(target), new Set())).toEqual({ copied: 0, missing: [], mismatched: ['b2.jpg'], damaged: [] });
    expect(existsSync(path.join(target, 'b2.jpg'))).toBe(false);
    expect((await mirrorReceipts(ctx.db, source, fileStore(target), new Set())).copied).toBe(1);
    const elsewhere = fileStore(path.join(ctx.dataDir, 'elsewhere'));
    expect((await mirrorReceipts(ctx.db, fileStore(path.join(ctx.dataDir, 'empty')), elsewhere, new Set())).missing).toEqual(['b2.jpg']);
    writeFileSync(path.join(receiptsDir(ctx.dataDir), 'b2.jpg'), 'bit rot');
    expect((await mirrorReceipts(ctx.db, source, elsewhere, new Set())).damaged).toEqual(['b2.jpg']);
    expect(existsSync(path.join(ctx.dataDir, 'elsewhere', 'b2.jpg'))).toBe(false);
  });

  it('puts receipts/ beside Litestream generations/ on every kind of replica, and says what is missing to write there', () => {
    const base = { DATA_DIR: path.join(ctx?.dataDir ?? '/tmp', 'cfg'), DATA_KEY: TEST_DATA_KEY };
    const creds = { LITESTREAM_ACCESS_KEY_ID: 'id', LITESTREAM_SECRET_ACCESS_KEY: 'secret' };
    expect(loadConfig({ ...base, REPLICA_URL: 'file:///srv/replica/tokyo' }).replica?.receipts).toEqual({ kind: 'file', dir: '/srv/replica/tokyo/receipts' });
    expect(loadConfig({ ...base, ...creds, REPLICA_URL: 's3://bucket/tokyo/' }).replica?.receipts).toMatchObject({
      kind: 's3',
      bucket: 'bucket',
      prefix: 'tokyo/receipts/',
      region: 'us-east-1',
      endpoint: null,
    });
    expect(
      loadConfig({ ...base, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'ap-northeast-1', REPLICA_URL: 's3://bucket' }).replica?.receipts,
    ).toMatchObject({
      prefix: 'receipts/',
      region: 'ap-northeast-1',
      accessKeyId: 'a',
    });
    const hostKeys = { REPLICA_SFTP_HOST_KEY: 'SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, SHA256:B/9+B/9+B/9+B/9+B/9+B/9+B/9+B/9+B/9+B/9+xyz=' };
    expect(loadConfig({ ...base, ...hostKeys, REPLICA_URL: 'sftp://backup:p%40ss@nas.example:2222/srv/tokyo' }).replica?.receipts).toEqual({
      kind: 'sftp',
      host: 'nas.example',
      port: 2222,
      username: 'backup',
      password: 'p@ss',
      keyPath: null,
      hostKeys: ['SHA256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'SHA256:B/9+B/9+B/9+B/9+B/9+B/9+B/9+B/9+B/9+B/9+xyz'],
      dir: '/srv/tokyo/receipts',
    });
    // No server named, nothing sent: the sentence says how to learn the fingerprint for this host and port.
    expect(() => loadConfig({ ...base, REPLICA_URL: 'sftp://backup:pw@nas.example:2222/srv/tokyo' })).toThrow(
      /without REPLICA_SFTP_HOST_KEY: .*ssh-keyscan -p 2222 nas\.example \| ssh-keygen -lf -/,
    );
    expect(() => loadConfig({ ...base, REPLICA_URL: 'sftp://backup:pw@nas.example/srv', REPLICA_SFTP_HOST_KEY: 'ssh-ed25519 AAAAC3Nz' })).toThrow(
      /REPLICA_SFTP_HOST_KEY must be SHA256 fingerprints/,
    );
    expect(printableReplicaUrl('sftp://backup:p%40ss@nas.example:2222/srv/tokyo')).toBe('sftp://backup:***@nas.example:2222/srv/tokyo');
    expect(printableReplicaUrl('s3://bucket/tokyo')).toBe('s3://bucket/tokyo');
    expect(() => loadConfig({ ...base, REPLICA_URL: 's3://bucket/tokyo' })).toThrow(/LITESTREAM_ACCESS_KEY_ID and LITESTREAM_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...base, ...hostKeys, REPLICA_URL: 'sftp://backup@nas.example/srv' })).toThrow(
      /password in the URL or set REPLICA_SFTP_KEY_PATH/,
    );
    expect(() => loadConfig({ ...base, ...hostKeys, REPLICA_URL: 'sftp://backup@nas.example/srv', REPLICA_SFTP_KEY_PATH: '/no/such/key' })).toThrow(
      /REPLICA_SFTP_KEY_PATH names no file/,
    );
  });
});

describe('what the replica holds verified is kept across a restart', () => {
  it('a second start reads back none of it (no archive download per restart); another REPLICA_URL starts over', async () => {
    const replicaDir = mkdtempSync(path.join(tmpdir(), 'eacm-replica-'));
    const local = databaseWithReplica({ REPLICA_URL: `file://${replicaDir}/one` });
    const start = async (config: Config) => {
      const app = await buildApp({ config, db: local.db, clock: manualClock('2025-06-15T03:00:00Z'), logger: false });
      await app.ready();
      return app;
    };
    const copyOf = (replica: string, name: string) => path.join(replicaDir, replica, 'receipts', name);
    try {
      const first = await storeReceipt(local.db, local.dataDir);
      let app = await start(local.config);
      await waitFor(() => existsSync(copyOf('one', first.name)));
      const stateFile = path.join(local.dataDir, MIRROR_STATE_FILE);
      await waitFor(() => existsSync(stateFile) && readFileSync(stateFile, 'utf8').includes(first.name));
      await app.close();

      // Had the restart read the copy back, it would have found this and replaced it.
      writeFileSync(copyOf('one', first.name), 'changed behind our back');
      const second = await storeReceipt(local.db, local.dataDir);
      app = await start(local.config);
      await waitFor(() => existsSync(copyOf('one', second.name)));
      expect(readFileSync(copyOf('one', first.name), 'utf8')).toBe('changed behind our back');
      await app.close();

      const elsewhere = loadConfig({
        DATA_DIR: local.dataDir,
        DATA_KEY: TEST_DATA_KEY,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        REPLICA_URL: `file://${replicaDir}/two`,
      });
      app = await start(elsewhere);
      await waitFor(() => existsSync(copyOf('two', first.name)) && existsSync(copyOf('two', second.name)));
      expect(readFileSync(copyOf('two', first.name)).equals(first.bytes)).toBe(true);
      await app.close();
    } finally {
      local.close();
      rmSync(replicaDir, { recursive: true, force: true });
    }
  });
});
