import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, checkpointFileOf, restoreDatabase } from '../../server/domain/backup.js';
import { openDatabase, type Db } from '../../db/client.js';
import type { Config } from '../../server/config.js';
import { parseCheckpoint } from '../../server/domain/audit-checkpoint.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';
import { makeAuditedDisbursement } from '../helpers/audited-money.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';

let config: Config;
let dataDir: string;
let db: Db;
beforeEach(async () => {
  ({ config, dataDir } = makeTestConfig());
  db = makeTestDb(config);
  const org = makeOrganization(db);
  const user = await makeUser(db, { role: 'supporter', organizationId: org.id });
  const theCase = makeCase(db, { organizationId: org.id, createdBy: user.id });
  for (let i = 0; i < 3; i++)
    makeAuditedDisbursement(db, { caseId: theCase.id, submittedBy: user.id, status: 'approved', lines: [{ category: 'food', amount: 1000 + i }] });
  // The newest event is not about money, so cutting it leaves the ledger in agreement.
  makeOrganization(db, { code: 'LAST' });
});
afterEach(() => {
  db.$client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const headOf = (file: string) => {
  const copy = openDatabase(file, { readonly: true });
  try {
    return copy.$client.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string };
  } finally {
    copy.$client.close();
  }
};
const backUp = () => backupDatabase({ databasePath: config.databasePath, dataDir, dataKey: config.dataKey, now: new Date('2025-06-15T03:00:00Z') });
const restore = (backupFile: string) =>
  restoreDatabase({ backupFile, databasePath: config.databasePath, dataDir, dataKey: config.dataKey, now: new Date('2025-06-16T00:00:00Z') });

describe('a backup records the checkpoint of its snapshot', () => {
  it('writes the head of the copied chain beside the backup file, and restore checks it', async () => {
    const backup = await backUp();
    expect(backup.checkpointFile).toBe(backup.file.replace(/\.sqlite$/, '.checkpoint.json'));
    const written = parseCheckpoint(readFileSync(backup.checkpointFile, 'utf8'));
    const head = headOf(backup.file);
    expect(written).toMatchObject({ seq: head.id, mac: head.hash });
    expect(backup.checkpoint).toEqual(written);
    db.$client.close();
    expect((await restore(backup.file)).checkpoint).toEqual(written);
    db = makeTestDb(config);
  });

  it('restore refuses a backup cut short behind its checkpoint (newest events deleted, sequence rewound)', async () => {
    const backup = await backUp();
    const cut = new (await import('better-sqlite3')).default(backup.file);
    cut.exec(
      "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events); UPDATE sqlite_sequence SET seq = seq - 1 WHERE name = 'audit_events';",
    );
    cut.close();
    db.$client.close();
    await expect(restore(backup.file)).rejects.toThrow(/refusing to restore .*checkpoint at event \d+ not reached/);
    // Without its checkpoint line the same cut would pass unseen: that is why the line is kept.
    rmSync(checkpointFileOf(backup.file));
    await expect(restore(backup.file)).resolves.toMatchObject({ checkpoint: null });
    db = makeTestDb(config);
  });

  it('restore refuses a backup whose ledger was edited, checkpoint or not', async () => {
    const backup = await backUp();
    const edited = new (await import('better-sqlite3')).default(backup.file);
    edited.exec('DROP TRIGGER lines_frozen_after_decision_update; UPDATE disbursement_lines SET amount = amount + 1000000 WHERE id = 1;');
    edited.close();
    db.$client.close();
    await expect(restore(backup.file)).rejects.toThrow(/disbursement #1: its ledger state differs/);
    expect(existsSync(`${config.databasePath}.before-restore-20250616T000000Z`)).toBe(false);
    db = makeTestDb(config);
  });
});
