import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, legacyHashAuditEvent, verifyAuditChain, type ChainedFields } from '../../server/domain/audit.js';
import { rekeyLegacyChain } from '../../server/domain/audit-rekey.js';
import { verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { submitThroughApp } from '../helpers/audited-world.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
const now = new Date('2025-06-16T00:00:00Z');
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  submitThroughApp(ctx.db, { supporter: world.tokyoSupporter, coordinator: world.admin });
  submitThroughApp(ctx.db, { supporter: world.osakaSupporter, coordinator: world.admin }, { approve: false });
});
afterEach(async () => ctx.close());

const FIELDS = 'id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType, entity_id AS entityId, before, after';

/** Turn the trail into what the first release wrote: no money digests, unkeyed SHA-256 links. */
function makeLegacy(): void {
  const sqlite = ctx.db.$client;
  const trigger = sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_events_no_update'").pluck().get() as string;
  sqlite.exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET after = json_remove(after, '$.moneyDigest') WHERE entity_type = 'disbursement';");
  let prev = GENESIS_HASH;
  for (const row of sqlite.prepare(`SELECT ${FIELDS} FROM audit_events ORDER BY id`).all() as ChainedFields[]) {
    const hash = legacyHashAuditEvent(prev, row);
    sqlite.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, row.id);
    prev = hash;
  }
  sqlite.exec(trigger);
}

describe('npm run audit:rekey (the one-time move of a first-release trail to the keyed chain)', () => {
  it('re-MACs a valid unkeyed chain, seals each disbursement with its digest, and then everything verifies', () => {
    makeLegacy();
    const events = ctx.db.$client.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;
    expect(verifyAuditChain(ctx.db)).toMatchObject({ ok: false, firstBadId: 1 });
    expect(rekeyLegacyChain(ctx.db, now)).toEqual({ status: 'rekeyed', events, sealed: 2 });
    expect(verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, disbursements: 2, ledger: [] });
    // the append-only trigger is back
    expect(() => ctx.db.$client.exec("UPDATE audit_events SET action = 'x' WHERE id = 1")).toThrow(/append-only/);
    expect(rekeyLegacyChain(ctx.db, now)).toEqual({ status: 'already_keyed', events: events + 3 });
  });

  it('accepts keyed events the upgraded app appended after the legacy ones', () => {
    makeLegacy();
    submitThroughApp(ctx.db, { supporter: world.tokyoSupporter, coordinator: world.admin });
    expect(rekeyLegacyChain(ctx.db, now)).toMatchObject({ status: 'rekeyed', sealed: 2 });
    expect(verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, disbursements: 3 });
  });

  it('refuses, writing nothing, a legacy chain with an altered event', () => {
    makeLegacy();
    ctx.db.$client.exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET occurred_at = '2025-01-01T00:00:00.000Z' WHERE id = 3;");
    const before = ctx.db.$client.prepare('SELECT id, prev_hash, hash FROM audit_events ORDER BY id').all();
    expect(rekeyLegacyChain(ctx.db, now)).toEqual({ status: 'refused', firstBadId: 3 });
    expect(ctx.db.$client.prepare('SELECT id, prev_hash, hash FROM audit_events ORDER BY id').all()).toEqual(before);
  });
});
