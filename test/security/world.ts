import { count, eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../../db/client.js';
import {
  auditEvents,
  cases,
  categories,
  categoryBudgets,
  categoryCaps,
  disbursementFlags,
  fundTargets,
  moneyIn,
  personMatchDecisions,
  roundApplications,
  roundEntries,
  rounds,
  disbursementLines,
  disbursements,
  funds,
  idempotencyKeys,
  organizations,
  periodLocks,
  receipts,
  users,
} from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { stageUpload } from '../../server/domain/imports/batches.js';
import { attachReceipts, prepareReceipt, storeReceipts } from '../../server/domain/receipts.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient, signedIn } from '../helpers/client.js';
import { makeOrganization, makeUser, makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';

export const ACTORS = ['signedOut', 'tokyo', 'osaka', 'auditor', 'coordinator', 'admin'] as const;
export type ActorName = (typeof ACTORS)[number];

/** Tables whose row counts must not move when a request is refused. */
const COUNTED = {
  cases,
  disbursements,
  disbursementLines,
  receipts,
  users,
  organizations,
  categories,
  funds,
  periodLocks,
  auditEvents,
  idempotencyKeys,
  // Issue 14: rounds, fund money, warnings and person matches.
  rounds,
  roundApplications,
  roundEntries,
  moneyIn,
  categoryBudgets,
  categoryCaps,
  fundTargets,
  disbursementFlags,
  personMatchDecisions,
};
export type RowCounts = Record<keyof typeof COUNTED, number>;

export function rowCounts(db: Db): RowCounts {
  return Object.fromEntries(Object.entries(COUNTED).map(([name, table]) => [name, db.select({ n: count() }).from(table).get()!.n])) as RowCounts;
}

export const actorOf = (db: Db, userId: number): Actor => {
  const u = db.select().from(users).where(eq(users.id, userId)).get()!;
  return { userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: u.displayName, locale: u.locale };
};

/** A real PNG, so the receipt passes the magic-byte check and sharp's clean-up. */
export const tinyPng = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: '#c0ffee' } })
    .png()
    .toBuffer();

/**
 * One app, the usual cast signed in, and one record of each kind in the Tokyo group, plus spare
 * records an admin may change freely (deactivate, delete) without disturbing the others.
 */
export async function makeSecurityWorld() {
  const ctx: TestContext = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const db = ctx.db;
  const world = await makeWorld(db);
  const tokyoCase = makeCase(db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 3 });
  const osakaCase = makeCase(db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id, householdSize: 2 });
  const pending = makeDisbursement(db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id });
  const approved = makeDisbursement(db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id, status: 'approved', decidedBy: world.admin.id });
  const stored = await storeReceipts(ctx.dataDir, [await prepareReceipt(await tinyPng())]);
  attachReceipts(db, actorOf(db, world.tokyoSupporter.id), pending.id, stored, ctx.clock.now());
  const receipt = db.select().from(receipts).where(eq(receipts.disbursementId, pending.id)).get()!;
  const spareOrg = makeOrganization(db, { code: 'SPR', name: 'Spare group' });
  const spareUser = await makeUser(db, { role: 'supporter', organizationId: spareOrg.id, displayName: 'Spare user' });
  const spareCategory = db.insert(categories).values({ code: 'spare', labelJa: '予備', labelEn: 'Spare', sortOrder: 99 }).returning().get();
  const spareFund = db.insert(funds).values({ name: 'Spare fund' }).returning().get();
  const lock = db
    .insert(periodLocks)
    .values({ startsOn: '2020-04-01', endsOn: '2021-03-31', note: 'FY2020', lockedBy: world.admin.id, lockedAt: '2021-04-10T00:00:00.000Z' })
    .returning()
    .get();

  const table = {
    format: 'csv' as const,
    encoding: 'utf-8' as const,
    sheets: [],
    sheetName: null,
    headers: ['日付', '金額'],
    rows: [{ rowNumber: 2, cells: ['2025/6/1', '1000'] }],
  };
  const importBatch = stageUpload(
    db,
    actorOf(db, world.tokyoSupporter.id),
    { organizationId: world.tokyo.id, fileName: 'past.csv', sha256: 'a'.repeat(64), table },
    ctx.clock.now(),
    createFieldCipher(ctx.config.dataKey),
  );

  const signedOut = new TestClient(ctx.app);
  await signedOut.csrf('/login');
  const clients: Record<ActorName, TestClient> = {
    signedOut,
    tokyo: await signedIn(ctx.app, world.tokyoSupporter),
    osaka: await signedIn(ctx.app, world.osakaSupporter),
    auditor: await signedIn(ctx.app, world.auditor),
    coordinator: await signedIn(ctx.app, world.coordinator),
    admin: await signedIn(ctx.app, world.admin),
  };
  for (const name of ACTORS) if (name !== 'signedOut') await clients[name].csrf('/account');

  return {
    ctx,
    db,
    world,
    clients,
    records: {
      tokyoCase,
      osakaCase,
      pending,
      approved,
      receipt,
      spareOrg,
      spareUser,
      spareCategory,
      spareFund,
      lock,
      importBatch: { id: importBatch.batchId },
      defaultFundId: defaultFundId(db),
    },
  };
}
export type SecurityWorld = Awaited<ReturnType<typeof makeSecurityWorld>>;
