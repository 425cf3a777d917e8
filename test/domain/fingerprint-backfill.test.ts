import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cases, identityFingerprints } from '../../db/schema.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { backfillBatch, backfillFingerprints, type BackfillCounts } from '../../server/domain/fingerprint-backfill.js';
import { identityFingerprint, listPossibleMatches } from '../../server/domain/person-matches.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { actorOf, openCaseWithName, testCipher as cipher } from '../helpers/identity-cases.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
const open = (u: MadeUser, alias: string | null, nationality: string | null = 'VN') => openCaseWithName(ctx.db, u, alias, { nationality, householdSize: 1 });
const prints = () =>
  new Map(
    ctx.db
      .select()
      .from(identityFingerprints)
      .all()
      .map((f) => [f.caseId, f.fingerprint]),
  );
const zero = (): BackfillCounts => ({ scanned: 0, created: 0, noName: 0, unreadable: 0, batches: 0 });

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

describe('fingerprint backfill', () => {
  it('gives cases entered before fingerprints the print the app would give, batch by batch, resumably and once', async () => {
    const names = ['Nguyen Van A', 'Maria da Silva', 'グエン・ヴァン・ア', 'Jose Santos', 'Ali Khan'];
    const ids = names.map((n, i) => open(i % 2 ? world.osakaSupporter : world.tokyoSupporter, n));
    const noName = open(world.tokyoSupporter, ' ・ ');
    const withoutAlias = open(world.tokyoSupporter, null);
    const expected = prints();
    expect(expected.size).toBe(5);
    // As before fingerprints existed: no row for any case.
    ctx.db.delete(identityFingerprints).run();

    // Stopped after one batch of two...
    const first = zero();
    const last = backfillBatch(ctx.db, cipher, 0, 2, ctx.clock.now(), first);
    expect([first.created, last]).toEqual([2, ids[1]]);
    // ...and run again from the start: it continues with what is still missing.
    const rest = await backfillFingerprints(ctx.db, cipher, ctx.clock.now(), { batchSize: 2 });
    expect(rest).toEqual({ scanned: 4, created: 3, noName: 1, unreadable: 0, batches: 2 });
    expect(prints()).toEqual(expected);
    expect(prints().has(noName) || prints().has(withoutAlias)).toBe(false);
    expect(prints().get(ids[0]!)).toBe(identityFingerprint(cipher, { name: 'Nguyen Van A', nationality: 'VN' }));

    // Idempotent: nothing left to create; only the nameless case is looked at again.
    expect(await backfillFingerprints(ctx.db, cipher, ctx.clock.now())).toEqual({ scanned: 1, created: 0, noName: 1, unreadable: 0, batches: 1 });
  });

  it('makes an old cross-group match visible to the coordinator, and counts what it cannot open instead of failing', async () => {
    const a = open(world.tokyoSupporter, 'Nguyen Van A');
    const b = open(world.osakaSupporter, 'NGUYEN VAN A');
    ctx.db.delete(identityFingerprints).run();
    expect(listPossibleMatches(ctx.db, actorOf(world.coordinator))).toEqual([]);
    // A value sealed under another key (a half-done rotation): left for a later run.
    const foreign = createFieldCipher(Buffer.alloc(32, 9));
    const c = open(world.tokyoSupporter, 'Tran Van C');
    ctx.db.delete(identityFingerprints).where(eq(identityFingerprints.caseId, c)).run();
    ctx.db
      .update(cases)
      .set({ aliasEnc: foreign.encrypt('Tran Van C', { table: 'cases', column: 'alias_enc', rowId: c }) })
      .where(eq(cases.id, c))
      .run();

    const counts = await backfillFingerprints(ctx.db, cipher, ctx.clock.now());
    expect([counts.created, counts.unreadable]).toEqual([2, 1]);
    expect(listPossibleMatches(ctx.db, actorOf(world.coordinator)).map((m) => [m.caseA, m.caseB])).toEqual([[a, b]]);
  });
});
