import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../db/client.js';
import { auditEvents, casePurges, cases, disbursements, receipts } from '../../db/schema.js';
import { purgeExpiredReceiptFiles } from '../../server/domain/receipt-retention.js';
import { insertReceipts, prepareReceipt, receiptsDir, storeReceipts } from '../../server/domain/receipts.js';
import { tinyPng } from '../security/world.js';
import type { Actor } from '../../server/domain/actor.js';
import { createCase, updateCase } from '../../server/domain/cases.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { computeSummary } from '../../server/domain/figures.js';
import { purgeExpiredIdentity, setRetentionYears } from '../../server/domain/retention.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp({ now: '2021-05-01T03:00:00Z' });
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const actorOf = (u: MadeUser): Actor => ({ userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: 'x', locale: 'ja' });
const profile = { householdSize: 3, gender: null, ageBand: null, nationality: 'VN', residenceStatus: 'provisional_release' as const, prefecture: '13' };

/** A case with identity, two approved disbursements, closed on the clock's day. */
function closedCase(user: MadeUser, alias: string) {
  const deps = { cipher: createFieldCipher(ctx.config.dataKey), clock: ctx.clock };
  const identity = { alias, contact: `${alias}-CONTACT`, notes: `${alias}-NOTES` };
  const { location } = createCase(ctx.db, actorOf(user), { ...profile, ...identity, organizationId: null, idempotencyKey: newFormKey() }, deps);
  const id = Number(location.split('/').pop());
  for (const [paidOn, amount] of [
    ['2021-04-10', 30_000],
    ['2021-04-20', 12_345],
  ] as const) {
    makeDisbursement(ctx.db, {
      caseId: id,
      submittedBy: user.id,
      paidOn,
      status: 'approved',
      decidedBy: world.admin.id,
      lines: [{ category: 'shelter', amount }],
    });
  }
  updateCase(ctx.db, actorOf(user), id, { ...profile, ...identity, status: 'closed' }, deps);
  return id;
}

const april2021 = { from: '2021-04-01', to: '2021-04-30', organizationId: null, fundId: null, includePending: false };
const rawBytes = () =>
  Buffer.concat([
    readFileSync(ctx.config.databasePath),
    existsSync(`${ctx.config.databasePath}-wal`) ? readFileSync(`${ctx.config.databasePath}-wal`) : Buffer.alloc(0),
  ]);

describe('purgeExpiredIdentity', () => {
  it('erases identity past retention, keeps every figure to the yen, and leaves no ciphertext on disk', () => {
    const tokyoCase = closedCase(world.tokyoSupporter, 'ZQXTOKYO');
    const osakaCase = closedCase(world.osakaSupporter, 'ZQXOSAKA');
    setRetentionYears(ctx.db, actorOf(world.admin), world.osaka.id, { identityYears: 5, receiptYears: 7 }, ctx.clock.now());
    const stored = ctx.db.select().from(cases).where(eq(cases.id, tokyoCase)).get()!;
    const ciphertext = stored.aliasEnc!.slice(3, 40);
    const before = computeSummary(ctx.db, actorOf(world.coordinator), april2021);
    expect(rawBytes().includes(Buffer.from(ciphertext))).toBe(true); // so the check below can fail
    expect(before.total).toBe(2 * 42_345);

    // Two years on: nothing is due yet (default 3 years).
    expect(purgeExpiredIdentity(ctx.db, new Date('2023-05-01T03:00:00Z'))).toEqual({ purged: 0 });
    const result = purgeExpiredIdentity(ctx.db, new Date('2024-05-01T03:00:00Z'));
    expect(result).toEqual({ purged: 1 });

    const purged = ctx.db.select().from(cases).where(eq(cases.id, tokyoCase)).get()!;
    expect(purged).toMatchObject({
      aliasEnc: null,
      contactEnc: null,
      notesEnc: null,
      aliasIndex: null,
      code: stored.code,
      householdSize: 3,
      nationality: 'VN',
    });
    const kept = ctx.db.select().from(cases).where(eq(cases.id, osakaCase)).get()!;
    expect(kept.aliasEnc).not.toBeNull(); // Osaka keeps identity 5 years
    expect(computeSummary(ctx.db, actorOf(world.coordinator), april2021)).toEqual(before);
    expect(rawBytes().includes(Buffer.from(ciphertext))).toBe(false);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.identity_purged')).get()!;
    expect(JSON.parse(event.after!)).toEqual({ kind: 'retention', fields: ['alias', 'contact', 'notes'] });
  });

  it('is idempotent: a second run erases nothing and writes nothing', () => {
    closedCase(world.tokyoSupporter, 'ZQXONCE');
    const later = new Date('2025-06-01T03:00:00Z');
    expect(purgeExpiredIdentity(ctx.db, later)).toEqual({ purged: 1 });
    const events = ctx.db.select().from(auditEvents).all().length;
    expect(purgeExpiredIdentity(ctx.db, later)).toEqual({ purged: 0 });
    expect(ctx.db.select().from(auditEvents).all().length).toBe(events);
    expect(ctx.db.select().from(casePurges).all()).toHaveLength(1);
  });

  it('leaves open cases alone however old', () => {
    const deps = { cipher: createFieldCipher(ctx.config.dataKey), clock: ctx.clock };
    createCase(
      ctx.db,
      actorOf(world.tokyoSupporter),
      { ...profile, alias: 'ZQXOPEN', contact: null, notes: null, organizationId: null, idempotencyKey: newFormKey() },
      deps,
    );
    expect(purgeExpiredIdentity(ctx.db, new Date('2035-01-01T00:00:00Z'))).toEqual({ purged: 0 });
  });
});

describe('purgeExpiredReceiptFiles', () => {
  it('deletes the files of erased cases once the payment is older than the receipt retention; rows and figures stay', async () => {
    const id = closedCase(world.tokyoSupporter, 'ZQXRECEIPT');
    const old = makeDisbursement(ctx.db, {
      caseId: id,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2014-04-10',
      status: 'approved',
      decidedBy: world.admin.id,
      lines: [{ category: 'food', amount: 5_000 }],
    });
    const stored = await storeReceipts(ctx.dataDir, [await prepareReceipt(await tinyPng())]);
    writeTransaction(ctx.db, (tx) => insertReceipts(tx, actorOf(world.tokyoSupporter), old.id, stored, ctx.clock.now()));
    const recent = await storeReceipts(ctx.dataDir, [await prepareReceipt(await tinyPng())]);
    const newer = ctx.db
      .select()
      .from(disbursements)
      .where(eq(disbursements.caseId, id))
      .all()
      .find((d) => d.paidOn === '2021-04-20')!;
    writeTransaction(ctx.db, (tx) => insertReceipts(tx, actorOf(world.tokyoSupporter), newer.id, recent, ctx.clock.now()));
    const file = (s: { storageName: string }) => path.join(receiptsDir(ctx.dataDir), s.storageName);
    const later = new Date('2024-05-01T03:00:00Z');
    const figures = computeSummary(ctx.db, actorOf(world.coordinator), { ...april2021, from: '2014-01-01' });

    // Not erased yet: the identity job has not run, so the receipt stays too.
    expect(await purgeExpiredReceiptFiles(ctx.db, ctx.dataDir, later)).toEqual({ erased: 0 });
    purgeExpiredIdentity(ctx.db, later);
    expect(await purgeExpiredReceiptFiles(ctx.db, ctx.dataDir, later)).toEqual({ erased: 1 });
    expect(existsSync(file(stored[0]!))).toBe(false);
    expect(existsSync(file(recent[0]!))).toBe(true); // paid 2021: seven years not yet over
    expect(ctx.db.select().from(receipts).all()).toHaveLength(2);
    expect(await purgeExpiredReceiptFiles(ctx.db, ctx.dataDir, later)).toEqual({ erased: 0 });
    expect(computeSummary(ctx.db, actorOf(world.coordinator), { ...april2021, from: '2014-01-01' })).toEqual(figures);
  });
});
