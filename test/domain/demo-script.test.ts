import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { countRecords, isDemoDatabase } from '../../server/domain/demo/marker.js';
import { seedDemoFile } from '../../scripts/demo/seed.js';
import { DemoSeedRefused } from '../../scripts/demo/write.js';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { runTsx } from '../helpers/run-script.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

const dataKey = Buffer.from(TEST_DATA_KEY, 'base64');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'eacm-demo-'));
  dirs.push(dir);
  return dir;
};

/** `npm run seed:demo` on a throw-away DATA_DIR. */
const seedDemo = (dataDir: string) => runTsx('scripts/seed-demo.ts', [], { env: { DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY } });

const inspect = (dataDir: string) => {
  const db = openDatabase(path.join(dataDir, 'app.sqlite'));
  try {
    return { counts: countRecords(db), isDemo: isDemoDatabase(db) };
  } finally {
    db.$client.close();
  }
};

describe('npm run seed:demo', () => {
  it('refuses a database holding real records, says why, exits non-zero and changes nothing', async () => {
    const dataDir = tempDir();
    const db = bindAuditKey(openDatabase(path.join(dataDir, 'app.sqlite')), dataKey);
    migrateDatabase(db);
    const org = makeOrganization(db, { code: 'REAL' });
    await makeUser(db, { role: 'supporter', organizationId: org.id });
    db.$client.close();
    const before = inspect(dataDir);

    const result = await seedDemo(dataDir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/seed:demo refused: .* is not a demonstration database and already holds records/);
    expect(result.stderr).toMatch(/Nothing was changed/);
    expect(inspect(dataDir)).toEqual(before);
  });
});

describe('seedDemoFile (what the script runs)', () => {
  const databaseIn = (dir: string) => path.join(dir, 'app.sqlite');

  it('seeds an empty directory, and seeding again starts the demo afresh', async () => {
    const dataDir = tempDir();
    const summary = await seedDemoFile(databaseIn(dataDir), new Date(), { dataKey });
    expect(summary.counted).toMatchObject({ total: 17_644_244, peopleCumulative: 491 });
    const seeded = inspect(dataDir);
    expect(seeded.isDemo).toBe(true);
    expect(seeded.counts).toMatchObject({ users: summary.users, cases: summary.cases, disbursements: summary.disbursements });
    // every case and disbursement was made by a domain call, each with its event
    expect(seeded.counts.auditEvents).toBeGreaterThan(summary.cases + summary.disbursements);

    await seedDemoFile(databaseIn(dataDir), new Date(), { dataKey });
    // the same data, not twice the data; a fresh audit chain of the same history
    expect(inspect(dataDir)).toEqual(seeded);
  }, 300_000);

  it('refuses real records in process too, and leaves them as they were', async () => {
    const dataDir = tempDir();
    const db = bindAuditKey(openDatabase(databaseIn(dataDir)), dataKey);
    migrateDatabase(db);
    makeOrganization(db, { code: 'REAL' });
    db.$client.close();
    const before = inspect(dataDir);
    await expect(seedDemoFile(databaseIn(dataDir), new Date(), { dataKey })).rejects.toBeInstanceOf(DemoSeedRefused);
    expect(inspect(dataDir)).toEqual(before);
  });
});
