import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, funds, roundEntries } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { Conflict, Forbidden, InvalidInput } from '../../server/domain/errors.js';
import { computeSummary } from '../../server/domain/figures.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { applyToRound, decideApplication, findApplicationFor, type EntryDecision } from '../../server/domain/round-applications.js';
import { createRound, roundHeadline, roundProgressByGroup, roundSummary, setRoundOpen, getRound, type RoundInput } from '../../server/domain/rounds.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
const now = new Date('2025-06-15T03:00:00Z');

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const actorOf = (u: MadeUser): Actor => ({ userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: 'x', locale: 'ja' });

function openRound(overrides: Partial<RoundInput> = {}): number {
  const fund = ctx.db
    .insert(funds)
    .values({ name: `Round fund ${Math.random()}` })
    .returning()
    .get();
  return createRound(
    ctx.db,
    actorOf(world.admin),
    {
      fundId: fund.id,
      name: '2025 round',
      categoryCode: 'other',
      amount: 30_000,
      unit: 'person',
      startsOn: '2025-05-01',
      endsOn: '2025-07-31',
      maxPeoplePerGroup: null,
      ...overrides,
    },
    now,
  );
}

function tokyoCases(sizes: number[]) {
  return sizes.map((householdSize) => makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize }));
}

function apply(roundId: number, entries: { caseId: number; peopleCovered: number }[], paidOn = '2025-06-10', who = world.tokyoSupporter) {
  return applyToRound(ctx.db, actorOf(who), roundId, { paidOn, method: 'bank_transfer', entries, idempotencyKey: newFormKey() }, now);
}

const applicationId = (location: string) => Number(location.split('/').pop());

function decideAll(id: number, decision: EntryDecision, reason: string | null = null, who = world.coordinator) {
  const detail = findApplicationFor(ctx.db, actorOf(who), id);
  const decisions = new Map(detail.entries.map((e) => [e.id, { decision, version: e.version }]));
  return decideApplication(ctx.db, actorOf(who), id, { decisions, reason }, now);
}

describe('grant rounds', () => {
  it('an application makes one pending disbursement per case; approval makes them count at the round amount', () => {
    const roundId = openRound();
    const cs = tokyoCases([1, 3, 2]);
    const { location } = apply(
      roundId,
      cs.map((c) => ({ caseId: c.id, peopleCovered: c.householdSize })),
    );
    const id = applicationId(location);
    const rows = ctx.db.select().from(roundEntries).where(eq(roundEntries.applicationId, id)).all();
    expect(rows.map((r) => r.amount)).toEqual([30_000, 90_000, 60_000]);
    const created = rows.map((r) => ctx.db.select().from(disbursements).where(eq(disbursements.id, r.disbursementId)).get()!);
    expect(created.map((d) => [d.status, d.submittedBy, d.method])).toEqual(Array(3).fill(['pending', world.tokyoSupporter.id, 'bank_transfer']));

    const round = getRound(ctx.db, roundId);
    expect(roundSummary(ctx.db, actorOf(world.coordinator), round).total).toBe(0);
    expect(decideAll(id, 'approve')).toEqual({ approved: 3, rejected: 0 });
    const summary = roundSummary(ctx.db, actorOf(world.coordinator), round);
    expect(roundHeadline(round, summary)).toEqual({ people: 6, households: 3, perUnit: 30_000, unit: 'person', total: 180_000 });
    expect(roundProgressByGroup(ctx.db, actorOf(world.coordinator), roundId)).toEqual([
      expect.objectContaining({ organizationId: world.tokyo.id, applied: 180_000, approved: 180_000, pending: 0, peopleApproved: 6 }),
    ]);
    const events = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'disbursement.approved')).all();
    expect(events).toHaveLength(3);
  });

  it('per household pays the amount once per case, whatever the people covered', () => {
    const roundId = openRound({ unit: 'household', amount: 50_000 });
    const cs = tokyoCases([4, 2]);
    const id = applicationId(
      apply(
        roundId,
        cs.map((c) => ({ caseId: c.id, peopleCovered: c.householdSize })),
      ).location,
    );
    decideAll(id, 'approve');
    const s = roundSummary(ctx.db, actorOf(world.auditor), getRound(ctx.db, roundId));
    expect([s.total, s.disbursements, s.peopleCumulative]).toEqual([100_000, 2, 6]);
  });

  it('decides case by case: a rejection needs a reason and frees the case for the round', () => {
    const roundId = openRound();
    const cs = tokyoCases([1, 1]);
    const id = applicationId(
      apply(
        roundId,
        cs.map((c) => ({ caseId: c.id, peopleCovered: 1 })),
      ).location,
    );
    const detail = findApplicationFor(ctx.db, actorOf(world.coordinator), id);
    const [first, second] = detail.entries;
    const decisions = new Map([
      [first!.id, { decision: 'approve' as const, version: first!.version }],
      [second!.id, { decision: 'reject' as const, version: second!.version }],
    ]);
    expect(() => decideApplication(ctx.db, actorOf(world.coordinator), id, { decisions, reason: null }, now)).toThrow(InvalidInput);
    // All or nothing: the refused rejection rolled the approval back too.
    expect(findApplicationFor(ctx.db, actorOf(world.coordinator), id).entries.map((e) => e.status)).toEqual(['pending', 'pending']);
    decideApplication(ctx.db, actorOf(world.coordinator), id, { decisions, reason: 'not eligible' }, now);
    expect(findApplicationFor(ctx.db, actorOf(world.coordinator), id).entries.map((e) => e.status)).toEqual(['approved', 'rejected']);
    // The rejected case may apply again; the approved one may not.
    expect(() => apply(roundId, [{ caseId: cs[0]!.id, peopleCovered: 1 }])).toThrow(InvalidInput);
    expect(apply(roundId, [{ caseId: cs[1]!.id, peopleCovered: 1 }]).replayed).toBe(false);
  });

  it('four eyes: only a coordinator decides, and a supporter cannot', () => {
    const roundId = openRound();
    const [c] = tokyoCases([1]);
    const id = applicationId(apply(roundId, [{ caseId: c!.id, peopleCovered: 1 }]).location);
    expect(() => decideAll(id, 'approve', null, world.tokyoSupporter)).toThrow(Forbidden);
    expect(() => decideAll(id, 'approve', null, world.auditor)).toThrow(Forbidden);
  });

  it("refuses another group's case, a date outside the window or in the future, a closed round, and the group cap", () => {
    const roundId = openRound({ maxPeoplePerGroup: 3 });
    const osakaCase = makeCase(ctx.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id });
    const [small, big] = tokyoCases([1, 3]);
    const fieldsOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof InvalidInput) return error.fieldErrors;
        throw error;
      }
      return null;
    };
    expect(fieldsOf(() => apply(roundId, [{ caseId: osakaCase.id, peopleCovered: 1 }]))).toEqual({ 'entries[0][caseId]': 'rounds.caseNotApplicable' });
    expect(fieldsOf(() => apply(roundId, [{ caseId: small!.id, peopleCovered: 2 }]))).toEqual({ 'entries[0][people]': 'rounds.peopleOverHousehold' });
    expect(fieldsOf(() => apply(roundId, [{ caseId: small!.id, peopleCovered: 1 }], '2025-04-30'))).toEqual({ paidOn: 'rounds.paidOnOutsideWindow' });
    expect(fieldsOf(() => apply(roundId, [{ caseId: small!.id, peopleCovered: 1 }], '2025-06-16'))).toEqual({ paidOn: 'disbursements.paidOnFuture' });
    // Cap 3: 3 people fit, a fourth does not.
    expect(
      fieldsOf(() =>
        apply(roundId, [
          { caseId: small!.id, peopleCovered: 1 },
          { caseId: big!.id, peopleCovered: 3 },
        ]),
      ),
    ).toEqual({ entries: 'rounds.overGroupCap' });
    expect(apply(roundId, [{ caseId: big!.id, peopleCovered: 3 }]).replayed).toBe(false);
    expect(fieldsOf(() => apply(roundId, [{ caseId: small!.id, peopleCovered: 1 }]))).toEqual({ entries: 'rounds.overGroupCap' });
    setRoundOpen(ctx.db, actorOf(world.admin), roundId, false, now);
    expect(() => apply(roundId, [{ caseId: small!.id, peopleCovered: 1 }])).toThrow(Conflict);
    expect(() => apply(roundId, [{ caseId: small!.id, peopleCovered: 1 }], '2025-06-10', world.coordinator)).toThrow(Forbidden);
  });

  it('a repeated form key answers the first application and writes nothing more', () => {
    const roundId = openRound();
    const [c] = tokyoCases([2]);
    const input = { paidOn: '2025-06-10', method: 'cash' as const, entries: [{ caseId: c!.id, peopleCovered: 2 }], idempotencyKey: newFormKey() };
    const first = applyToRound(ctx.db, actorOf(world.tokyoSupporter), roundId, input, now);
    const again = applyToRound(ctx.db, actorOf(world.tokyoSupporter), roundId, input, now);
    expect(again).toEqual({ location: first.location, replayed: true });
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(1);
  });

  it('property: N cases × people × amount give exactly N disbursements and the report equals people × amount', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 200_000 }), (sizes, amount) => {
        const roundId = openRound({ amount, name: `p ${Math.random()}` });
        const cs = tokyoCases(sizes);
        const before = ctx.db.select().from(disbursements).all().length;
        const id = applicationId(
          apply(
            roundId,
            cs.map((c) => ({ caseId: c.id, peopleCovered: c.householdSize })),
          ).location,
        );
        decideAll(id, 'approve');
        expect(ctx.db.select().from(disbursements).all().length - before).toBe(sizes.length);
        const round = getRound(ctx.db, roundId);
        const people = sizes.reduce((a, b) => a + b, 0);
        const s = roundSummary(ctx.db, actorOf(world.auditor), round);
        expect([s.disbursements, s.peopleCumulative, s.total]).toEqual([sizes.length, people, people * amount]);
        // The same figures through the plain report query with the round filter.
        const viaReport = computeSummary(ctx.db, actorOf(world.auditor), {
          from: '2025-01-01',
          to: '2025-12-31',
          organizationId: null,
          fundId: null,
          includePending: false,
          roundId,
        });
        expect(viaReport.total).toBe(people * amount);
      }),
      { numRuns: 15 },
    );
  });
});
