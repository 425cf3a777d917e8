import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTransaction, type Db } from '../../db/client.js';
import { verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { countRecords, isDemoDatabase, markDemoDatabase } from '../../server/domain/demo/marker.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';

const opened: { db: Db; dataDir: string }[] = [];
afterAll(() => opened.forEach(({ db, dataDir }) => (db.$client.close(), rmSync(dataDir, { recursive: true, force: true }))));
function freshDb(): Db {
  const { config, dataDir } = makeTestConfig();
  const db = makeTestDb(config);
  opened.push({ db, dataDir });
  return db;
}
const NOW = new Date('2026-01-10T03:00:00Z');

describe('markDemoDatabase', () => {
  it('marks the file as a demo database with one audit event that says so, and the trail verifies', () => {
    const db = freshDb();
    expect(isDemoDatabase(db)).toBe(false);
    markDemoDatabase(db, { seed: 7, cases: 3 }, NOW);
    expect(isDemoDatabase(db)).toBe(true);
    const events = db.$client.prepare('SELECT action, occurred_at AS at, actor_user_id AS actor FROM audit_events').all();
    expect(events).toEqual([{ action: 'demo.seeded', at: NOW.toISOString(), actor: null }]);
    expect(verifyAuditTrail(db)).toMatchObject({ ok: true });
  });

  it('inside a seed that fails, leaves neither the mark nor the event', () => {
    const db = freshDb();
    expect(() =>
      writeTransaction(db, () => {
        markDemoDatabase(db, { seed: 7 }, NOW);
        throw new Error('the seed failed after marking');
      }),
    ).toThrow('the seed failed');
    expect(isDemoDatabase(db)).toBe(false);
    expect(countRecords(db).auditEvents).toBe(0);
  });
});
