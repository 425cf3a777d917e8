import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, checkDatabaseFile, databaseStats, restoreDatabase } from '../../server/domain/backup.js';
import type { Db } from '../../db/client.js';
import type { Config } from '../../server/config.js';
import { makeTestConfig, makeTestDb, TEST_DATA_KEY } from '../helpers/app.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeAuditedDisbursement } from '../helpers/audited-money.js';
import { makeCase } from '../helpers/money-factories.js';

let config: Config;
let dataDir: string;
let db: Db;

async function addMoney(count: number) {
  const org = makeOrganization(db);
  const user = await makeUser(db, { role: 'supporter', organizationId: org.id });
  const theCase = makeCase(db, { organizationId: org.id, createdBy: user.id, householdSize: 3 });
  for (let i = 0; i < count; i++) {
    makeAuditedDisbursement(db, {
      caseId: theCase.id,
      submittedBy: user.id,
      status: i % 3 === 0 ? 'pending' : 'approved',
      lines: [{ category: 'food', amount: 1000 + i }],
    });
  }
  return { org, user, theCase };
}

beforeEach(() => {
  ({ config, dataDir } = makeTestConfig());
  db = makeTestDb(config);
});
afterEach(() => {
  db.$client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('online backup', () => {
  it('copies exactly the snapshot it started from while another connection keeps writing', async () => {
    const { user, theCase } = await addMoney(300);
    mkdirSync(path.join(dataDir, 'receipts'), { recursive: true });
    writeFileSync(path.join(dataDir, 'receipts', 'abc.pdf'), '%PDF-1.4 test');
    let writes = 0;
    const timer = setInterval(() => {
      makeAuditedDisbursement(db, { caseId: theCase.id, submittedBy: user.id, status: 'approved', lines: [{ category: 'shelter', amount: 5000 }] });
      writes += 1;
    }, 1);
    const result = await backupDatabase({ databasePath: config.databasePath, dataDir, dataKey: config.dataKey, now: new Date('2025-06-15T03:00:00Z') });
    clearInterval(timer);
    expect(path.basename(result.file)).toBe('app-20250615T030000Z.sqlite');
    const copy = new Database(result.file, { readonly: true });
    expect(databaseStats(copy)).toEqual(result.stats);
    copy.close();
    expect(result.stats.counts.disbursements).toBeGreaterThanOrEqual(300);
    expect(checkDatabaseFile(result.file, config.dataKey).ok).toBe(true);
    expect(readdirSync(result.receiptsDir!)).toEqual(['abc.pdf']);
    // the source went on: later writes are not in this backup but are in the source
    expect(databaseStats(db.$client).counts.disbursements).toBe(300 + writes);
  });

  it('refuses to restore a damaged file or a database of another application', async () => {
    const garbage = path.join(dataDir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database');
    expect(checkDatabaseFile(garbage, config.dataKey).ok).toBe(false);
    const foreign = path.join(dataDir, 'foreign.sqlite');
    new Database(foreign).exec('CREATE TABLE x (y)');
    const verdict = checkDatabaseFile(foreign, config.dataKey);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join()).toContain('not a database of this application');
    await expect(
      restoreDatabase({ backupFile: garbage, databasePath: config.databasePath, dataDir, dataKey: config.dataKey, now: new Date() }),
    ).rejects.toThrow(/refusing/);
  });

  it('restore drill: back up, keep working, restore — the database is the backup again', async () => {
    await addMoney(20);
    const backup = await backupDatabase({ databasePath: config.databasePath, dataDir, dataKey: config.dataKey, now: new Date('2025-06-15T03:00:00Z') });
    await addMoney(5);
    db.$client.close();
    const restored = await restoreDatabase({
      backupFile: backup.file,
      databasePath: config.databasePath,
      dataDir,
      dataKey: config.dataKey,
      now: new Date('2025-06-16T00:00:00Z'),
    });
    expect(restored.stats).toEqual(backup.stats);
    expect(existsSync(restored.keptAside!)).toBe(true);
    db = makeTestDb(config);
    expect(databaseStats(db.$client)).toEqual(backup.stats);
  });

  it('npm run restore refuses while the app is running', () => {
    writeFileSync(path.join(dataDir, 'app.pid'), String(process.pid));
    const run = spawnSync('node_modules/.bin/tsx', ['scripts/restore.ts', path.join(dataDir, 'whatever.sqlite')], {
      env: { ...process.env, DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY },
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('The app is running');
  });

  it('npm run backup prints where the checked copy is', async () => {
    await addMoney(3);
    const run = spawnSync('node_modules/.bin/tsx', ['scripts/backup.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Backup written and checked: .*backups\/app-\d{8}T\d{6}Z\.sqlite/);
    expect(readdirSync(path.join(dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
  });
});
