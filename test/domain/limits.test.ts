import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursementFlags } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { createDisbursement, updateDisbursement } from '../../server/domain/disbursements.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { isSimilarAmount, listFlags, setCategoryCap, WarningsUnacknowledged, type Acknowledgement } from '../../server/domain/limits.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let caseId: number;
const now = new Date('2025-06-15T03:00:00Z');

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id }).id;
});
afterEach(async () => ctx.close());

const actorOf = (u: MadeUser): Actor => ({ userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: 'x', locale: 'ja' });

function submit(paidOn: string, amount: number, category = 'shelter', acknowledgement?: Acknowledgement) {
  return createDisbursement(
    ctx.db,
    actorOf(world.tokyoSupporter),
    {
      caseId,
      paidOn,
      fundId: defaultFundId(ctx.db),
      method: 'cash',
      peopleCovered: 1,
      payee: null,
      note: null,
      lines: [{ category, amount }],
      receipts: [],
      idempotencyKey: newFormKey(),
      acknowledgement,
    },
    now,
  );
}
function warningsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof WarningsUnacknowledged) return { kinds: error.warnings.map((w) => w.kind), fields: error.fieldErrors };
    throw error;
  }
  return null;
}
const idOf = (r: { location: string }) => Number(r.location.split('/').pop());

describe('caps per case per period', () => {
  beforeEach(() =>
    setCategoryCap(ctx.db, actorOf(world.admin), { fundId: defaultFundId(ctx.db), categoryCode: 'shelter', amount: 100_000, periodDays: 90 }, now),
  );

  it('cap − 1 and cap pass silently; cap + 1 needs a reason and is flagged with it', () => {
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-05-01',
      status: 'approved',
      lines: [{ category: 'shelter', amount: 40_000 }],
    });
    // 40,000 already in the window; distinct amounts and dates avoid the duplicate rule.
    expect(warningsOf(() => submit('2025-06-10', 59_999))).toBeNull();
    const at = idOf(submit('2025-06-11', 1));
    expect(listFlags(ctx.db, [at]).size).toBe(0);
    expect(warningsOf(() => submit('2025-06-12', 2))).toEqual({ kinds: ['over_cap'], fields: { overCapReason: 'limits.overCapReasonRequired' } });
    const over = idOf(submit('2025-06-12', 2, 'shelter', { overCapReason: 'Family of five, landlord deposit', duplicateConfirmed: false }));
    const flags = listFlags(ctx.db, [over]).get(over)!;
    expect(flags).toEqual([
      {
        kind: 'over_cap',
        reason: 'Family of five, landlord deposit',
        warnings: [{ kind: 'over_cap', category: 'shelter', cap: 100_000, periodDays: 90, already: 100_000, adding: 2 }],
      },
    ]);
    const event = ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, String(over)))
      .get()!;
    expect(JSON.parse(event.after!).warnings).toEqual(['over_cap']);
    expect(event.after).not.toContain('landlord');
  });

  it("the window is the cap's days ending on the date: day 90 back counts, day 91 does not", () => {
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-03-13',
      status: 'approved',
      lines: [{ category: 'shelter', amount: 60_000 }],
    });
    // 2025-03-13 .. 2025-06-10 is 90 days inclusive: 60,000 + 50,000 > cap.
    expect(warningsOf(() => submit('2025-06-10', 50_000))?.kinds).toEqual(['over_cap']);
    // From 2025-06-11 the old record is day 91: out of the window.
    expect(warningsOf(() => submit('2025-06-11', 50_000))).toBeNull();
  });

  it('other funds, other categories, rejected and voided records do not count', () => {
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-06-01',
      status: 'rejected',
      lines: [{ category: 'shelter', amount: 90_000 }],
    });
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-05-01',
      status: 'voided',
      lines: [{ category: 'shelter', amount: 90_000 }],
    });
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-05-02',
      status: 'approved',
      lines: [{ category: 'food', amount: 90_000 }],
    });
    expect(warningsOf(() => submit('2025-06-10', 100_000))).toBeNull();
  });
});

describe('duplicate payment warning', () => {
  it('same case and category, ±10%, within 14 days: day 14 warns, day 15 does not', () => {
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-05-27',
      status: 'approved',
      lines: [{ category: 'food', amount: 10_000 }],
    });
    expect(warningsOf(() => submit('2025-06-10', 10_000, 'food'))).toEqual({
      kinds: ['duplicate'],
      fields: { duplicateConfirmed: 'limits.duplicateConfirmRequired' },
    });
    expect(warningsOf(() => submit('2025-06-11', 10_000, 'food'))).toBeNull();
  });

  it('±10% of the new amount is similar; beyond it, or another category, is not', () => {
    expect([isSimilarAmount(10_000, 11_000), isSimilarAmount(10_000, 9_000), isSimilarAmount(10_000, 11_001), isSimilarAmount(10_000, 8_999)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-06-05',
      status: 'pending',
      lines: [{ category: 'food', amount: 11_001 }],
    });
    expect(warningsOf(() => submit('2025-06-10', 10_000, 'food'))).toBeNull();
    expect(warningsOf(() => submit('2025-06-10', 11_000, 'medical'))).toBeNull();
    const confirmed = idOf(submit('2025-06-10', 10_500, 'food', { overCapReason: null, duplicateConfirmed: true }));
    expect(
      ctx.db
        .select()
        .from(disbursementFlags)
        .where(eq(disbursementFlags.disbursementId, confirmed))
        .all()
        .map((f) => f.kind),
    ).toEqual(['duplicate']);
  });

  it('editing a record does not match itself, and re-assesses its flags', () => {
    const first = idOf(submit('2025-06-01', 10_000, 'food'));
    const edit = (amount: number, acknowledgement?: Acknowledgement) =>
      updateDisbursement(
        ctx.db,
        actorOf(world.tokyoSupporter),
        first,
        {
          caseId,
          paidOn: '2025-06-01',
          fundId: defaultFundId(ctx.db),
          method: 'cash',
          peopleCovered: 1,
          payee: null,
          note: null,
          lines: [{ category: 'food', amount }],
          version: null,
          acknowledgement,
        },
        now,
      );
    expect(warningsOf(() => edit(10_200))).toBeNull();
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-06-03',
      status: 'pending',
      lines: [{ category: 'food', amount: 20_000 }],
    });
    expect(warningsOf(() => edit(19_000))?.kinds).toEqual(['duplicate']);
    edit(19_000, { overCapReason: null, duplicateConfirmed: true });
    expect(
      listFlags(ctx.db, [first])
        .get(first)
        ?.map((f) => f.kind),
    ).toEqual(['duplicate']);
    edit(5_000);
    expect(listFlags(ctx.db, [first]).size).toBe(0);
  });
});
