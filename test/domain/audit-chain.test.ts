import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, writeTransaction, type Db } from '../../db/client.js';
import { auditMac, bindAuditKey, deriveAuditKey } from '../../server/domain/audit-key.js';
import {
  chainMessage,
  GENESIS_HASH,
  legacyHashAuditEvent,
  macAuditEvent,
  recordAudit,
  verifyAuditChain,
  type ChainedFields,
} from '../../server/domain/audit.js';
import { openScratchDb } from '../helpers/scratch-db.js';
import type { Config } from '../../server/config.js';

let db: Db;
let config: Config;
let close: () => void;
beforeEach(() => {
  ({ db, config, close } = openScratchDb());
  const at = new Date('2025-06-15T03:00:00Z');
  for (let i = 1; i <= 5; i++) {
    writeTransaction(db, (tx) =>
      recordAudit(tx, { action: 'test.event', actorUserId: null, entityType: 'thing', entityId: i, after: { n: i, note: `event ${i}` }, at }),
    );
  }
});
afterEach(() => close());

const run = (statement: string) => db.$client.exec(statement);
const FIELDS = `id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType, entity_id AS entityId, before, after`;
const eventRows = () => db.$client.prepare(`SELECT ${FIELDS} FROM audit_events ORDER BY id`).all() as ChainedFields[];

/** What an attacker holding the file does after editing an event: recompute every link from the start. */
function rehashChain(link: (prevHash: string, fields: ChainedFields) => string): void {
  run('DROP TRIGGER IF EXISTS audit_events_no_update');
  const update = db.$client.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?');
  let prev = GENESIS_HASH;
  for (const row of eventRows()) {
    const hash = link(prev, row);
    update.run(prev, hash, row.id);
    prev = hash;
  }
}

describe('audit chain', () => {
  it('verifies an honest trail', () => {
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 5 });
  });

  it('is keyed: the stored links are HMACs under the key derived from DATA_KEY, not plain SHA-256', () => {
    const [first] = eventRows();
    const stored = db.$client.prepare('SELECT hash FROM audit_events WHERE id = 1').pluck().get();
    expect(stored).toBe(auditMac(deriveAuditKey(config.dataKey), chainMessage(GENESIS_HASH, first!)));
    expect(stored).not.toBe(legacyHashAuditEvent(GENESIS_HASH, first!));
  });

  it('is append-only through SQL while the triggers stand', () => {
    expect(() => run("UPDATE audit_events SET action = 'x' WHERE id = 2")).toThrow(/append-only/);
    expect(() => run('DELETE FROM audit_events WHERE id = 2')).toThrow(/append-only/);
  });

  it('finds one altered event (the attacker dropped the trigger first)', () => {
    run('DROP TRIGGER audit_events_no_update');
    run(`UPDATE audit_events SET after = '{"n":3,"note":"quietly changed"}' WHERE id = 3`);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'altered' });
  });

  it('finds an altered event whose own MAC was recomputed, at the next link', () => {
    run('DROP TRIGGER audit_events_no_update');
    const row = eventRows()[1]!;
    const prevHash = db.$client.prepare('SELECT prev_hash FROM audit_events WHERE id = 2').pluck().get() as string;
    const forged = { ...row, after: '{"n":2,"note":"rewritten"}' };
    db.$client.prepare('UPDATE audit_events SET after = ?, hash = ? WHERE id = 2').run(forged.after, macAuditEvent(db, prevHash, forged));
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'broken_link' });
  });

  it('refuses a rewritten event whose whole chain was re-hashed with plain SHA-256', () => {
    run('DROP TRIGGER audit_events_no_update');
    run(`UPDATE audit_events SET after = '{"n":3,"note":"quietly changed"}' WHERE id = 3`);
    rehashChain(legacyHashAuditEvent);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 1, reason: 'altered' });
  });

  it('refuses a chain re-hashed with a wrong key, and holds for the right one', () => {
    run('DROP TRIGGER audit_events_no_update');
    run(`UPDATE audit_events SET after = '{"n":3,"note":"quietly changed"}' WHERE id = 3`);
    const wrongKey = deriveAuditKey(Buffer.alloc(32, 9));
    rehashChain((prev, fields) => auditMac(wrongKey, chainMessage(prev, fields)));
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 1, reason: 'altered' });
    // The same forgery with the real key verifies: the key, and only the key, is what protects it.
    rehashChain((prev, fields) => macAuditEvent(db, prev, fields));
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 5 });
  });

  it('cannot append or verify on a connection that has no key', () => {
    const unkeyed = openDatabase(config.databasePath);
    try {
      expect(() => verifyAuditChain(unkeyed)).toThrow(/no audit key/);
      expect(() =>
        writeTransaction(unkeyed, (tx) => recordAudit(tx, { action: 'test.event', actorUserId: null, entityType: 'thing', at: new Date() })),
      ).toThrow(/no audit key/);
      expect(verifyAuditChain(bindAuditKey(unkeyed, config.dataKey))).toEqual({ ok: true, count: 5 });
    } finally {
      unkeyed.$client.close();
    }
  });

  it('finds a deleted event', () => {
    run('DROP TRIGGER audit_events_no_delete');
    run('DELETE FROM audit_events WHERE id = 2');
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'gap' });
  });

  it('finds reordered events', () => {
    run('DROP TRIGGER audit_events_no_update');
    run('UPDATE audit_events SET id = 100 WHERE id = 2');
    run('UPDATE audit_events SET id = 2 WHERE id = 3');
    run('UPDATE audit_events SET id = 3 WHERE id = 100');
    const verdict = verifyAuditChain(db);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ firstBadId: 2 });
  });

  it('finds reordered content (rows keep their ids, contents swapped)', () => {
    run('DROP TRIGGER audit_events_no_update');
    run(`UPDATE audit_events SET (entity_id, after) = (SELECT entity_id, after FROM audit_events WHERE id = 5) WHERE id = 4`);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 4, reason: 'altered' });
  });
});
