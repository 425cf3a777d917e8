import { and, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { disbursements, users, type DisbursementStatus } from '../../db/schema.js';
import { assertVisible, can, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, Forbidden, InvalidInput } from './errors.js';
import { formatDateTime } from './format.js';
import { assertNotInLockedPeriod } from './period-locks.js';

export type WorkflowAction = 'approve' | 'reject' | 'void' | 'withdraw';
export const WORKFLOW_ACTIONS: readonly WorkflowAction[] = ['approve', 'reject', 'void', 'withdraw'];

/** SPEC §2: pending → approved | rejected | withdrawn; approved → voided. Nothing else, ever. */
export const TRANSITIONS: Readonly<Record<WorkflowAction, { from: DisbursementStatus; to: DisbursementStatus }>> = {
  approve: { from: 'pending', to: 'approved' },
  reject: { from: 'pending', to: 'rejected' },
  withdraw: { from: 'pending', to: 'withdrawn' },
  void: { from: 'approved', to: 'voided' },
};

const AUDIT_ACTION: Record<WorkflowAction, string> = {
  approve: 'disbursement.approved',
  reject: 'disbursement.rejected',
  void: 'disbursement.voided',
  withdraw: 'disbursement.withdrawn',
};

export type Disbursement = typeof disbursements.$inferSelect;

/** What the rules need to judge one action on one record. */
type Judged = Pick<Disbursement, 'organizationId' | 'submittedBy' | 'status'>;

export function isTransitionAllowed(status: string, action: WorkflowAction): boolean {
  return TRANSITIONS[action].from === status;
}

/** The actions this viewer may take on this record now: pages show exactly these. */
export function allowedActions(actor: Actor, disbursement: Judged, options: { isLocked?: boolean } = {}): WorkflowAction[] {
  if (options.isLocked) return [];
  return WORKFLOW_ACTIONS.filter(
    (action) => isTransitionAllowed(disbursement.status, action) && can(actor, `disbursement.${action}`, disbursement),
  );
}

export interface DecisionInput {
  /** The version the actor's page showed: a stale page loses (SPEC §7). */
  expectedVersion: number;
}
export interface ReasonedDecisionInput extends DecisionInput {
  reason: string;
}

function loadVisible(tx: Tx, actor: Actor, id: number): Disbursement {
  return assertVisible(actor, tx.select().from(disbursements).where(eq(disbursements.id, id)).get());
}

function displayNameOf(tx: Tx, userId: number | null): string {
  if (userId === null) return '?';
  return tx.select({ name: users.displayName }).from(users).where(eq(users.id, userId)).get()?.name ?? '?';
}

/** "already decided by …": who put the record in its current state, and when. */
function alreadyDecided(tx: Tx, actor: Actor, d: Disbursement): Conflict {
  // From pending, only void is refused: it needs an approved record.
  if (d.status === 'pending') return new Conflict('workflow.notApproved');
  const voided = d.status === 'voided';
  const by = displayNameOf(tx, voided ? d.voidedBy : d.decidedBy);
  const at = voided ? d.voidedAt : d.decidedAt;
  return new Conflict(`workflow.already.${d.status}`, { by, at: at ? formatDateTime(at, actor.locale) : '?' });
}

/**
 * Every check before an action, in the order the rules give them: visible (404), allowed for this
 * actor (403; four eyes), allowed from this status (409), not in a locked period (409).
 * Routes call it too, so a form error never hides a refusal.
 */
export function checkDecision(tx: Tx, actor: Actor, id: number, action: WorkflowAction): Disbursement {
  const d = loadVisible(tx, actor, id);
  if (!can(actor, `disbursement.${action}`, d)) {
    const fourEyes = action !== 'withdraw' && actor.role === 'coordinator' && d.submittedBy === actor.userId;
    throw new Forbidden(fourEyes ? 'workflow.ownSubmission' : 'errors.forbidden');
  }
  if (!isTransitionAllowed(d.status, action)) throw alreadyDecided(tx, actor, d);
  assertNotInLockedPeriod(tx, d.paidOn);
  return d;
}

function decide(db: Db, actor: Actor, id: number, action: WorkflowAction, input: DecisionInput & { reason?: string }, now: Date): Disbursement {
  return writeTransaction(db, (tx) => {
    const d = checkDecision(tx, actor, id, action);
    if (d.version !== input.expectedVersion) throw new Conflict('workflow.stale');
    const reason = input.reason?.trim() || null;
    if ((action === 'reject' || action === 'void') && reason === null) throw new InvalidInput({ reason: 'validation.required' });
    const { to } = TRANSITIONS[action];
    const at = now.toISOString();
    const changes =
      action === 'void'
        ? { voidedBy: actor.userId, voidedAt: at, voidReason: reason }
        : { decidedBy: actor.userId, decidedAt: at, rejectReason: action === 'reject' ? reason : null };
    // The guard repeats status and version: only the writer that saw the current row wins.
    const after = tx
      .update(disbursements)
      .set({ ...changes, status: to, version: sql`${disbursements.version} + 1`, updatedAt: at })
      .where(and(eq(disbursements.id, id), eq(disbursements.status, d.status), eq(disbursements.version, input.expectedVersion)))
      .returning()
      .get();
    if (!after) throw new Conflict('workflow.stale');
    recordAudit(tx, {
      action: AUDIT_ACTION[action],
      actorUserId: actor.userId,
      entityType: 'disbursement',
      entityId: id,
      before: { status: d.status, version: d.version },
      after: { status: to, version: after.version, ...(reason === null ? {} : { reason }) },
      at: now,
    });
    return after;
  });
}

export function approveDisbursement(db: Db, actor: Actor, id: number, input: DecisionInput, now: Date): Disbursement {
  return decide(db, actor, id, 'approve', { expectedVersion: input.expectedVersion }, now);
}

/** The reason is shown to the supporter on their record and home page. */
export function rejectDisbursement(db: Db, actor: Actor, id: number, input: ReasonedDecisionInput, now: Date): Disbursement {
  return decide(db, actor, id, 'reject', input, now);
}

/** A correction is a void plus a new record: the voided one stays visible, struck through. */
export function voidDisbursement(db: Db, actor: Actor, id: number, input: ReasonedDecisionInput, now: Date): Disbursement {
  return decide(db, actor, id, 'void', input, now);
}

/** The owning organization takes back a pending record (issue 3, pending life). */
export function withdrawDisbursement(db: Db, actor: Actor, id: number, input: DecisionInput, now: Date): Disbursement {
  return decide(db, actor, id, 'withdraw', { expectedVersion: input.expectedVersion }, now);
}
