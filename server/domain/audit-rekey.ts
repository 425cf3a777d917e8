import { sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { GENESIS_HASH, legacyHashAuditEvent, macAuditEvent, recordAudit, verifyAuditChain, type ChainedFields } from './audit.js';
import { compareLedgerWithTrail } from './audit-verify.js';

export type RekeyOutcome =
  { status: 'already_keyed'; events: number } | { status: 'rekeyed'; events: number; sealed: number } | { status: 'refused'; firstBadId: number };

const FIELDS = `id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType, entity_id AS entityId, before, after`;

/**
 * The one-time move of a trail written by the first release (unkeyed SHA-256 links, no money
 * digests) to the keyed chain. Each event must hold either as a legacy link or as a keyed one,
 * with the legacy ones first (a new version may already have appended keyed events to the old
 * head); anything else is refused and nothing is written. Then, in one transaction, every link is
 * re-computed with the key and every disbursement no event binds yet is sealed with its digest.
 * Run once, right after upgrading: it vouches for the ledger as it stands at that moment.
 */
export function rekeyLegacyChain(db: Db, now: Date): RekeyOutcome {
  const chain = verifyAuditChain(db);
  if (chain.ok) return { status: 'already_keyed', events: chain.count };
  const rows = db.$client.prepare(`SELECT ${FIELDS}, prev_hash AS prevHash, hash FROM audit_events ORDER BY id`).all() as (ChainedFields & {
    prevHash: string;
    hash: string;
  })[];
  let prev = GENESIS_HASH;
  let keyedSeen = false;
  for (const [index, { prevHash, hash, ...fields }] of rows.entries()) {
    if (fields.id !== index + 1 || prevHash !== prev) return { status: 'refused', firstBadId: fields.id };
    const isLegacy = !keyedSeen && legacyHashAuditEvent(prev, fields) === hash;
    if (!isLegacy) {
      if (macAuditEvent(db, prev, fields) !== hash) return { status: 'refused', firstBadId: fields.id };
      keyedSeen = true;
    }
    prev = hash;
  }
  const issued = db.$client.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'").pluck().get() as number | undefined;
  if ((issued ?? 0) > rows.length) return { status: 'refused', firstBadId: rows.length + 1 };

  return writeTransaction(db, (tx) => {
    // The append-only trigger is lifted for this one rewrite and put back exactly as it was.
    const trigger = tx.get<{ sql: string } | undefined>(sql`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_events_no_update'`);
    if (trigger) tx.run(sql`DROP TRIGGER audit_events_no_update`);
    let link = GENESIS_HASH;
    for (const { prevHash: _p, hash: _h, ...fields } of rows) {
      const mac = macAuditEvent(tx, link, fields);
      tx.run(sql`UPDATE audit_events SET prev_hash = ${link}, hash = ${mac} WHERE id = ${fields.id}`);
      link = mac;
    }
    if (trigger) tx.run(sql.raw(trigger.sql));
    const unbound = compareLedgerWithTrail(db).mismatches.filter((m) => m.problem === 'unbound');
    for (const m of unbound) {
      recordAudit(tx, {
        action: 'disbursement.sealed',
        actorUserId: null,
        entityType: 'disbursement',
        entityId: m.disbursementId,
        after: { reason: 'audit-chain-v1' },
        at: now,
      });
    }
    recordAudit(tx, { action: 'audit.rekeyed', actorUserId: null, entityType: 'database', after: { events: rows.length, sealed: unbound.length }, at: now });
    return { status: 'rekeyed', events: rows.length, sealed: unbound.length };
  });
}
