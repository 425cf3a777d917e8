import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction, type Db } from '../../db/client.js';
import { hashAuditEvent, recordAudit, verifyAuditChain } from '../../server/domain/audit.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';
import { rmSync } from 'node:fs';

let db: Db;
let dataDir: string;
beforeEach(() => {
  const made = makeTestConfig();
  dataDir = made.dataDir;
  db = makeTestDb(made.config);
  const at = new Date('2025-06-15T03:00:00Z');
  for (let i = 1; i <= 5; i++) {
    writeTransaction(db, (tx) =>
      recordAudit(tx, { action: 'test.event', actorUserId: null, entityType: 'thing', entityId: i, after: { n: i, note: `event ${i}` }, at }),
    );
  }
});
afterEach(() => {
  db.$client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const run = (statement: string) => db.$client.exec(statement);

describe('audit chain', () => {
  it('verifies an honest trail', () => {
    expect(verifyAuditChain(db)).toEqual({ ok: true, count: 5 });
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

  it('finds an altered event whose own hash was recomputed, at the next link', () => {
    run('DROP TRIGGER audit_events_no_update');
    const row = db.$client
      .prepare(
        `SELECT id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType,
                entity_id AS entityId, before, after, prev_hash AS prevHash FROM audit_events WHERE id = 2`,
      )
      .get() as { prevHash: string; after: string } & Parameters<typeof hashAuditEvent>[1];
    const { prevHash, ...fields } = row;
    const forged = { ...fields, after: '{"n":2,"note":"rewritten"}' };
    db.$client.prepare('UPDATE audit_events SET after = ?, hash = ? WHERE id = 2').run(forged.after, hashAuditEvent(prevHash, forged));
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, firstBadId: 3, reason: 'broken_link' });
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
