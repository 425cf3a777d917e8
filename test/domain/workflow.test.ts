import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, DISBURSEMENT_STATUSES, disbursementLines, disbursements, periodLocks, type DisbursementStatus } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../server/domain/errors.js';
import {
  allowedActions,
  approveDisbursement,
  rejectDisbursement,
  TRANSITIONS,
  voidDisbursement,
  withdrawDisbursement,
  WORKFLOW_ACTIONS,
  type WorkflowAction,
} from '../../server/domain/workflow.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
const now = new Date('2025-06-15T03:00:00Z');

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const actorOf = (u: MadeUser, displayName = `user ${u.id}`): Actor => ({
  userId: u.id,
  role: u.role,
  organizationId: u.organizationId,
  isAdmin: u.isAdmin,
  displayName,
  locale: 'ja',
});

function run(action: WorkflowAction, actor: Actor, id: number, expectedVersion = 1, reason = 'a reason') {
  const input = { expectedVersion, reason };
  switch (action) {
    case 'approve':
      return approveDisbursement(ctx.db, actor, id, input, now);
    case 'reject':
      return rejectDisbursement(ctx.db, actor, id, input, now);
    case 'void':
      return voidDisbursement(ctx.db, actor, id, input, now);
    case 'withdraw':
      return withdrawDisbursement(ctx.db, actor, id, input, now);
  }
}

function tokyoDisbursement(status: DisbursementStatus = 'pending', paidOn = '2025-06-01') {
  const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
  return makeDisbursement(ctx.db, {
    caseId: c.id,
    submittedBy: world.tokyoSupporter.id,
    status,
    paidOn,
    decidedBy: status === 'pending' ? undefined : world.admin.id,
  });
}

const rowOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const eventsFor = (id: number) =>
  ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'disbursement'), eq(auditEvents.entityId, String(id))))
    .all();

describe('the transition table', () => {
  const expected: Record<DisbursementStatus, Partial<Record<WorkflowAction, DisbursementStatus>>> = {
    pending: { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn' },
    approved: { void: 'voided' },
    rejected: {},
    withdrawn: {},
    voided: {},
  };

  it('is exactly pending → approved | rejected | withdrawn, approved → voided', () => {
    const table = Object.fromEntries(
      DISBURSEMENT_STATUSES.map((s) => [s, Object.fromEntries(WORKFLOW_ACTIONS.filter((a) => TRANSITIONS[a].from === s).map((a) => [a, TRANSITIONS[a].to]))]),
    );
    expect(table).toEqual(expected);
  });

  for (const status of DISBURSEMENT_STATUSES) {
    for (const action of WORKFLOW_ACTIONS) {
      const target = expected[status][action];
      it(`${action} on a ${status} disbursement ${target ? `→ ${target}` : 'is refused (409)'}`, () => {
        const d = tokyoDisbursement(status);
        // The one who may act: a coordinator who did not submit it (withdraw: the owning supporter).
        const actor = actorOf(action === 'withdraw' ? world.tokyoSupporter : world.coordinator);
        const before = rowOf(d.id);
        if (target) {
          const after = run(action, actor, d.id);
          expect(after.status).toBe(target);
          expect(after.version).toBe(before.version + 1);
          expect(rowOf(d.id).status).toBe(target);
          // lines carry the parent's status for the figures
          const lines = ctx.db.select().from(disbursementLines).where(eq(disbursementLines.disbursementId, d.id)).all();
          expect(lines.every((l) => l.status === target)).toBe(true);
          const events = eventsFor(d.id);
          expect(events).toHaveLength(1);
          expect(events[0]!.action).toBe(`disbursement.${{ approve: 'approved', reject: 'rejected', void: 'voided', withdraw: 'withdrawn' }[action]}`);
          expect(JSON.parse(events[0]!.before!)).toMatchObject({ status });
          expect(JSON.parse(events[0]!.after!)).toMatchObject({ status: target });
          expect(events[0]!.actorUserId).toBe(actor.userId);
        } else {
          expect(() => run(action, actor, d.id)).toThrow(Conflict);
          expect(rowOf(d.id)).toEqual(before);
          expect(eventsFor(d.id)).toHaveLength(0);
        }
      });
    }
  }

  it('the database refuses an illegal transition even if code were wrong', () => {
    const d = tokyoDisbursement('rejected');
    expect(() => ctx.db.$client.prepare("UPDATE disbursements SET status = 'approved' WHERE id = ?").run(d.id)).toThrow(/transition not allowed/);
  });
});

describe('who may act', () => {
  it('writes who decided, when, and the reasons', () => {
    const rejected = run('reject', actorOf(world.coordinator), tokyoDisbursement().id, 1, '  領収書が読めません  ');
    expect(rejected).toMatchObject({ decidedBy: world.coordinator.id, decidedAt: now.toISOString(), rejectReason: '領収書が読めません' });
    const approved = tokyoDisbursement('approved');
    const voided = run('void', actorOf(world.coordinator), approved.id, 1, '金額の入力誤り');
    expect(voided).toMatchObject({ voidedBy: world.coordinator.id, voidedAt: now.toISOString(), voidReason: '金額の入力誤り', decidedBy: world.admin.id });
    expect(JSON.parse(eventsFor(approved.id)[0]!.after!)).toEqual({
      status: 'voided',
      version: 2,
      reason: '金額の入力誤り',
      moneyDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  for (const action of ['approve', 'reject', 'void'] as const) {
    it(`nobody ${action}s their own submission (four eyes)`, () => {
      const c = makeCase(ctx.db, { organizationId: world.office.id, createdBy: world.coordinator.id });
      const d = makeDisbursement(ctx.db, {
        caseId: c.id,
        submittedBy: world.coordinator.id,
        status: action === 'void' ? 'approved' : 'pending',
        decidedBy: world.admin.id,
      });
      const error = (() => {
        try {
          run(action, actorOf(world.coordinator), d.id);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(Forbidden);
      expect((error as Forbidden).messageKey).toBe('workflow.ownSubmission');
      expect(eventsFor(d.id)).toHaveLength(0);
      // another coordinator may
      expect(run(action, actorOf(world.admin), d.id).status).toBe(TRANSITIONS[action].to);
    });
  }

  it('a coordinator may withdraw their own pending submission', () => {
    const c = makeCase(ctx.db, { organizationId: world.office.id, createdBy: world.coordinator.id });
    const d = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.coordinator.id });
    expect(run('withdraw', actorOf(world.coordinator), d.id).status).toBe('withdrawn');
  });

  for (const action of WORKFLOW_ACTIONS) {
    it(`${action}: another organization's supporter gets 404, the auditor and the own supporter 403 (except withdraw)`, () => {
      const d = tokyoDisbursement(action === 'void' ? 'approved' : 'pending');
      expect(() => run(action, actorOf(world.osakaSupporter), d.id)).toThrow(NotFound);
      expect(() => run(action, actorOf(world.auditor), d.id)).toThrow(Forbidden);
      if (action === 'withdraw') expect(run(action, actorOf(world.tokyoSupporter), d.id).status).toBe('withdrawn');
      else expect(() => run(action, actorOf(world.tokyoSupporter), d.id)).toThrow(Forbidden);
    });
  }

  it('a missing record is NotFound', () => {
    expect(() => run('approve', actorOf(world.coordinator), 9999)).toThrow(NotFound);
  });

  it('reject and void need a reason', () => {
    const d = tokyoDisbursement();
    expect(() => run('reject', actorOf(world.coordinator), d.id, 1, '   ')).toThrow(InvalidInput);
    const a = tokyoDisbursement('approved');
    expect(() => run('void', actorOf(world.coordinator), a.id, 1, '')).toThrow(InvalidInput);
    expect(rowOf(d.id).status).toBe('pending');
    expect(rowOf(a.id).status).toBe('approved');
  });
});

describe('stale pages and races', () => {
  it('a stale expectedVersion loses with "already decided by …" naming the winner', () => {
    const d = tokyoDisbursement();
    run('approve', actorOf(world.admin, 'Admin Coordinator'), d.id, 1);
    let error: unknown;
    try {
      run('void', actorOf(world.coordinator), d.id, 1, 'stale page');
    } catch (e) {
      error = e;
    }
    // approve → void from a page that showed version 1: the record changed since
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).messageKey).toBe('workflow.stale');
    try {
      run('approve', actorOf(world.coordinator), d.id, 1);
    } catch (e) {
      error = e;
    }
    expect((error as Conflict).messageKey).toBe('workflow.already.approved');
    expect((error as Conflict).params).toEqual({ by: 'Admin Coordinator', at: '2025年6月15日 12:00' });
    expect(rowOf(d.id)).toMatchObject({ status: 'approved', version: 2, decidedBy: world.admin.id });
    expect(eventsFor(d.id)).toHaveLength(1);
  });

  it('a pending record edited since the page was opened cannot be approved from that page', () => {
    const d = tokyoDisbursement();
    ctx.db.$client.prepare('UPDATE disbursements SET version = version + 1, note = ? WHERE id = ?').run('edited', d.id);
    expect(() => run('approve', actorOf(world.coordinator), d.id, 1)).toThrow(Conflict);
    expect(rowOf(d.id).status).toBe('pending');
    expect(run('approve', actorOf(world.coordinator), d.id, 2).status).toBe('approved');
  });
});

describe('period locks', () => {
  function lock(startsOn: string, endsOn: string) {
    ctx.db.insert(periodLocks).values({ startsOn, endsOn, note: 'FY2024 published', lockedBy: world.admin.id, lockedAt: now.toISOString() }).run();
  }

  for (const action of WORKFLOW_ACTIONS) {
    it(`${action} is refused inside a locked period, naming the lock, and allowed outside`, () => {
      lock('2024-04-01', '2025-03-31');
      const status = action === 'void' ? 'approved' : 'pending';
      const inside = tokyoDisbursement(status, '2025-03-31');
      const outside = tokyoDisbursement(status, '2025-04-01');
      const actor = actorOf(action === 'withdraw' ? world.tokyoSupporter : world.coordinator);
      let error: unknown;
      try {
        run(action, actor, inside.id);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Conflict);
      expect((error as Conflict).messageKey).toBe('errors.periodLocked');
      expect((error as Conflict).params).toEqual({ from: '2024-04-01', to: '2025-03-31', note: 'FY2024 published' });
      expect(rowOf(inside.id).status).toBe(status);
      expect(run(action, actor, outside.id).status).toBe(TRANSITIONS[action].to);
    });
  }

  it('an unlocked period no longer refuses', () => {
    lock('2024-04-01', '2025-03-31');
    ctx.db.$client.prepare("UPDATE period_locks SET unlocked_at = ?, unlocked_by = ?, unlock_reason = 'correction'").run(now.toISOString(), world.admin.id);
    const d = tokyoDisbursement('pending', '2024-10-01');
    expect(run('approve', actorOf(world.coordinator), d.id).status).toBe('approved');
  });
});

describe('allowedActions', () => {
  it('lists exactly what the domain functions accept, for every role and status', () => {
    const viewers = [world.admin, world.coordinator, world.auditor, world.tokyoSupporter];
    let allowedSomewhere = 0;
    for (const status of DISBURSEMENT_STATUSES) {
      for (const viewer of viewers) {
        for (const submitter of [world.tokyoSupporter, world.coordinator]) {
          const actor = actorOf(viewer);
          for (const action of WORKFLOW_ACTIONS) {
            // a fresh record per attempt: a success moves the record on
            const c = makeCase(ctx.db, { organizationId: submitter.organizationId, createdBy: submitter.id });
            const d = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: submitter.id, status, decidedBy: world.admin.id });
            let ok = true;
            try {
              run(action, actor, d.id);
            } catch {
              ok = false;
            }
            const combination = { status, viewer: viewer.id, submitter: submitter.id, action };
            expect({ ...combination, ok }).toEqual({ ...combination, ok: allowedActions(actor, d).includes(action) });
            if (ok) allowedSomewhere += 1;
          }
        }
      }
    }
    expect(allowedSomewhere).toBeGreaterThan(5);
  });

  it('shows nothing inside a locked period', () => {
    const d = tokyoDisbursement();
    expect(allowedActions(actorOf(world.coordinator), d)).toEqual(['approve', 'reject', 'withdraw']);
    expect(allowedActions(actorOf(world.coordinator), d, { isLocked: true })).toEqual([]);
    expect(allowedActions(actorOf(world.tokyoSupporter), d)).toEqual(['withdraw']);
    expect(allowedActions(actorOf(world.auditor), d)).toEqual([]);
  });
});
