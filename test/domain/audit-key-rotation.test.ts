import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import { identityFingerprints } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { recordAudit, verifyAuditChain } from '../../server/domain/audit.js';
import { bindAuditKey, resolveAuditKey } from '../../server/domain/audit-key.js';
import { createCase } from '../../server/domain/cases.js';
import { createFieldCipher, FieldDecryptError } from '../../server/domain/field-crypto.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { rotateFieldKeys } from '../../server/domain/key-rotation.js';
import { identityFingerprint, listPossibleMatches } from '../../server/domain/person-matches.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';

const OLD = Buffer.from(TEST_DATA_KEY, 'base64');
const NEW = Buffer.alloc(32, 9);

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
const opened: Db[] = [];
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => {
  for (const db of opened.splice(0)) db.$client.close();
  await ctx.close();
});

const actorOf = (user: { id: number; organizationId: number }, role: 'supporter' | 'coordinator' = 'supporter'): Actor => ({
  userId: user.id,
  role,
  organizationId: user.organizationId,
  isAdmin: false,
  displayName: 'x',
  locale: 'ja',
});
const profile = { householdSize: 1, gender: null, ageBand: null, nationality: 'VN', residenceStatus: null, prefecture: null, organizationId: null };

/** The same person in two groups (an audited write each), sealed under `key`. */
function sameTwice(db: Db, key: Buffer, previous: Buffer[] = []): void {
  const deps = { cipher: createFieldCipher(key, previous), clock: ctx.clock };
  for (const user of [world.tokyoSupporter, world.osakaSupporter]) {
    createCase(db, actorOf(user), { ...profile, alias: 'Nguyen Van An', contact: null, notes: null, idempotencyKey: newFormKey() }, deps);
  }
}

/** A new connection to the test's file, keyed the way an app started with these keys would be. */
function connect(dataKey: Buffer, previous: Buffer[] = []): Db {
  const db = bindAuditKey(openDatabase(ctx.config.databasePath), dataKey, previous);
  opened.push(db);
  return db;
}

const rotate = (db: Db) => rotateFieldKeys(db, createFieldCipher(NEW, [OLD]), { batchSize: 1, auditKey: resolveAuditKey(db, NEW, [OLD]) });

describe('the audit chain key survives keys:rotate', () => {
  it('after rotating and dropping DATA_KEY_PREVIOUS, the whole trail verifies and new events join it; tampering still fails', () => {
    sameTwice(ctx.db, OLD);
    const before = verifyAuditChain(ctx.db);
    expect(before.ok).toBe(true);

    rotate(connect(NEW, [OLD]));
    const afterwards = connect(NEW);
    const verdict = verifyAuditChain(afterwards);
    expect(verdict).toEqual({ ok: true, count: before.count + 1 });
    recordAudit(afterwards, { action: 'test.after_rotation', actorUserId: null, entityType: 'system', at: ctx.clock.now() });
    expect(verifyAuditChain(connect(NEW))).toEqual({ ok: true, count: before.count + 2 });

    afterwards.$client.exec('DROP TRIGGER audit_events_no_update; UPDATE audit_events SET after = \'{"x":1}\' WHERE id = 2;');
    expect(verifyAuditChain(connect(NEW))).toMatchObject({ ok: false, firstBadId: 2, reason: 'altered' });
  });

  it('a key that opens nothing is refused when the connection is keyed, not when the first event is written', () => {
    sameTwice(ctx.db, OLD);
    rotate(connect(NEW, [OLD]));
    expect(() => connect(OLD)).toThrow(FieldDecryptError);
    expect(() => connect(Buffer.alloc(32, 3))).toThrow(FieldDecryptError);
  });

  it('an app restarted with the new DATA_KEY before keys:rotate keeps writing with the chain key the trail began with', () => {
    sameTwice(ctx.db, OLD);
    const restarted = connect(NEW, [OLD]);
    recordAudit(restarted, { action: 'test.during_rotation', actorUserId: null, entityType: 'system', at: ctx.clock.now() });
    rotate(restarted);
    expect(verifyAuditChain(connect(NEW)).ok).toBe(true);
  });
});

describe('person fingerprints survive keys:rotate', () => {
  it('are recomputed under the new key, so old pairs still match and a case added after rotation matches them', () => {
    sameTwice(ctx.db, OLD);
    const coordinator = actorOf(world.coordinator, 'coordinator');
    expect(listPossibleMatches(ctx.db, coordinator)).toHaveLength(1);

    const report = rotate(connect(NEW, [OLD]));
    expect(report.fingerprintsRewritten).toBe(2);
    const db = connect(NEW);
    const expected = identityFingerprint(createFieldCipher(NEW), { name: 'Nguyen Van An', nationality: 'VN' });
    expect(
      db
        .select()
        .from(identityFingerprints)
        .all()
        .map((f) => f.fingerprint),
    ).toEqual([expected, expected]);
    expect(listPossibleMatches(db, coordinator)).toHaveLength(1);

    // Written by an app that knows only the new key: it must still meet the two earlier cases.
    createCase(
      db,
      actorOf(world.tokyoSupporter),
      { ...profile, alias: 'nguyen  van an', contact: null, notes: null, idempotencyKey: newFormKey() },
      { cipher: createFieldCipher(NEW), clock: ctx.clock },
    );
    expect(listPossibleMatches(db, coordinator)).toHaveLength(2);
  });
});
