import { writeTransaction, type Db } from '../../../db/client.js';
import { recordAudit } from '../audit.js';

/**
 * Written into the SQLite header (PRAGMA application_id) by the demo seeder: 'KSDM' for
 * 緊急支援 demo. It travels with the file, so the app knows a demo database whoever starts it.
 */
export const DEMO_APPLICATION_ID = 0x4b53444d;

export function isDemoDatabase(db: Db): boolean {
  return db.$client.pragma('application_id', { simple: true }) === DEMO_APPLICATION_ID;
}

export interface RecordCounts {
  organizations: number;
  users: number;
  cases: number;
  disbursements: number;
  auditEvents: number;
}

/** What a freshly migrated database does not hold: anything people have entered. */
export function countRecords(db: Db): RecordCounts {
  const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    organizations: count('organizations'),
    users: count('users'),
    cases: count('cases'),
    disbursements: count('disbursements'),
    auditEvents: count('audit_events'),
  };
}

export const holdsRecords = (counts: RecordCounts) => Object.values(counts).some((n) => n > 0);

/**
 * Mark the file as a demo database, with the event that says so, in one transaction (a seed
 * calls it last, inside its own transaction, so a failed seed leaves no mark).
 */
export function markDemoDatabase(db: Db, details: Record<string, string | number>, now: Date): void {
  writeTransaction(db, (tx) => {
    db.$client.pragma(`application_id = ${DEMO_APPLICATION_ID}`);
    recordAudit(tx, { action: 'demo.seeded', actorUserId: null, entityType: 'database', after: details, at: now });
  });
}
