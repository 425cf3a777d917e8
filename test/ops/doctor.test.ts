import { chmodSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { checkKey, checkModes, checkNode, checkReplica, checkTimezone } from '../../scripts/doctor/checks.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';

let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  ctx = null;
});

describe('npm run doctor', () => {
  it('judges the Node version and the time zone, with a fix for each', () => {
    expect(checkNode('v18.19.0')).toMatchObject({ level: 'fail', fix: expect.stringContaining('22 or 24') });
    expect(checkNode('v20.20.2')).toMatchObject({ level: 'warn' });
    expect(checkNode('v24.22.3').level).toBe('ok');
    expect(checkTimezone('Etc/UTC').level).toBe('ok');
    expect(checkTimezone('Asia/Tokyo')).toMatchObject({ level: 'warn', fix: expect.stringContaining('TZ=UTC') });
  });

  it('finds data others can read and says which chmod fixes it', async () => {
    ctx = await buildTestApp();
    chmodSync(ctx.dataDir, 0o700);
    // SQLite gives -wal and -shm the mode of the database file when it creates them.
    for (const name of readdirSync(ctx.dataDir)) chmodSync(path.join(ctx.dataDir, name), 0o600);
    expect(checkModes(ctx.config).map((f) => f.level)).toEqual(['ok']);
    chmodSync(ctx.config.databasePath, 0o644);
    chmodSync(ctx.dataDir, 0o755);
    const findings = checkModes(ctx.config);
    expect(findings.map((f) => f.fix)).toEqual([`chmod 700 ${ctx.dataDir}`, `chmod 600 ${ctx.config.databasePath}`]);
  });

  it('tells a key that opens the encrypted fields from one that does not', async () => {
    ctx = await buildTestApp();
    expect(checkKey(ctx.config)).toMatchObject({ level: 'ok', detail: expect.stringContaining('no encrypted field yet') });
    const w = await makeWorld(ctx.db);
    const c = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id });
    const stored = createFieldCipher(ctx.config.dataKey).encrypt('someone', { table: 'cases', column: 'alias_enc', rowId: c.id });
    ctx.db.$client.prepare('UPDATE cases SET alias_enc = ? WHERE id = ?').run(stored, c.id);
    expect(checkKey(ctx.config)).toMatchObject({ level: 'ok', detail: 'DATA_KEY opens the encrypted fields' });
    const otherKey = loadConfig({ DATA_DIR: ctx.dataDir, DATA_KEY: Buffer.alloc(32, 9).toString('base64') });
    expect(otherKey.dataKey.equals(Buffer.from(TEST_DATA_KEY, 'base64'))).toBe(false);
    expect(checkKey(otherKey)).toMatchObject({ level: 'fail', fix: expect.stringContaining('the key this database was created with') });
  });

  it('reaches a file replica through Litestream, and says when it cannot', async () => {
    ctx = await buildTestApp();
    const env = { PATH: process.env.PATH };
    const none = checkReplica(ctx.config, env);
    expect(none).toMatchObject({ level: 'warn', fix: expect.stringContaining('REPLICA_URL') });
    const withReplica = loadConfig({ DATA_DIR: ctx.dataDir, DATA_KEY: TEST_DATA_KEY, REPLICA_URL: `file://${path.join(ctx.dataDir, 'replica')}` });
    expect(checkReplica(withReplica, env)).toMatchObject({ level: 'ok', detail: expect.stringContaining('answers (0 snapshots)') });
    const broken = loadConfig({
      DATA_DIR: ctx.dataDir,
      DATA_KEY: TEST_DATA_KEY,
      REPLICA_URL: 's3://no-such-bucket/x',
      REPLICA_ENDPOINT: 'http://127.0.0.1:9',
      LITESTREAM_ACCESS_KEY_ID: 'id',
      LITESTREAM_SECRET_ACCESS_KEY: 'secret',
    });
    expect(
      checkReplica(broken, { ...env, AWS_EC2_METADATA_DISABLED: 'true', LITESTREAM_ACCESS_KEY_ID: 'id', LITESTREAM_SECRET_ACCESS_KEY: 'secret' }),
    ).toMatchObject({
      level: 'fail',
      detail: expect.stringContaining('cannot reach s3://no-such-bucket/x'),
    });
  }, 60_000);
});
