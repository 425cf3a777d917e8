import { and, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { disbursements, users, type DisbursementStatus } from '../../db/schema.js';
import { assertVisible, can, type Actor } from './actor.js';
import { recordAudit, type AuditFields } from './audit.js';
import { Conflict, Forbidden, InvalidInput } from './errors.js';
import { formatDateTime } from './format.js';
import { enqueueRejectionMail } from './mail-content.js';
import { assertNotInLockedPeriod } from './period-locks.js';
import { approvalStateOf, recordFirstApproval } from './second-approval.js';

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
/** The first of two approvals (a fund's threshold): the record stays pending, "1 of 2". */
export const FIRST_APPROVAL_EVENT = 'disbursement.first_approved';

export type Disbursement = typeof disbursements.$inferSelect;

/** What the rules need to judge one action on one record. */
type Judged = Pick<Disbursement, 'organizationId' | 'submittedBy' | 'status'>;

export interface ActionOptions {
  isLocked?: boolean;
  /** Who gave the current first approval: they may not give the second. */
  approverIds?: readonly number[];
}

export function isTransitionAllowed(status: string, action: WorkflowAction): boolean {
  return TRANSITIONS[action].from === status;
}

/** The actions this viewer may take on this record now: pages show exactly these. */
export function allowedActions(actor: Actor, disbursement: Judged, options: ActionOptions = {}): WorkflowAction[] {
  if (options.isLocked) return [];
  const approvedAlready = options.approverIds?.includes(actor.userId) ?? false;
  return WORKFLOW_ACTIONS.filter(
    (action) =>
      isTransitionAllowed(disbursement.status, action) && can(actor, `disbursement.${action}`, disbursement) && !(action === 'approve' && approvedAlready),
  );
}

/** allowedActions for a stored record: looks up its approvals itself. */
export function actionsFor(tx: Tx, actor: Actor, d: Disbursement, options: { isLocked?: boolean } = {}): WorkflowAction[] {
  const approverIds = d.status === 'pending' ? approvalStateOf(tx, d).approverIds : [];
  return allowedActions(actor, d, { ...options, approverIds });
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
  // Two approvals means two different people: the first approver waits for someone else.
  if (action === 'approve' && approvalStateOf(tx, d).approverIds.includes(actor.userId)) throw new Forbidden('workflow.sameApprover');
  assertNotInLockedPeriod(tx, d.paidOn);
  return d;
}

function decide(db: Db, actor: Actor, id: number, action: WorkflowAction, input: DecisionInput & { reason?: string }, now: Date): Disbursement {
  return writeTransaction(db, (tx) => {
    const d = checkDecision(tx, actor, id, action);
    if (d.version !== input.expectedVersion) throw new Conflict('workflow.stale');
    const reason = input.reason?.trim() || null;
    if ((action === 'reject' || action === 'void') && reason === null) throw new InvalidInput({ reason: 'validation.required' });
    const approval = action === 'approve' ? approvalStateOf(tx, d) : null;
    // Above the fund's threshold with no approval yet: this one is the first of two.
    const isFirstOfTwo = approval !== null && approval.needed === 2 && approval.approverIds.length === 0;
    const to = isFirstOfTwo ? d.status : TRANSITIONS[action].to;
    const at = now.toISOString();
    const changes = isFirstOfTwo
      ? {}
      : action === 'void'
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
    if (isFirstOfTwo) recordFirstApproval(tx, actor, id, after.version, now);
    const approvals: AuditFields = approval === null || approval.needed === 1 ? {} : { approvals: isFirstOfTwo ? 1 : 2, approvalsNeeded: 2 };
    recordAudit(tx, {
      action: isFirstOfTwo ? FIRST_APPROVAL_EVENT : AUDIT_ACTION[action],
      actorUserId: actor.userId,
      entityType: 'disbursement',
      entityId: id,
      before: { status: d.status, version: d.version },
      after: { status: to, version: after.version, ...approvals, ...(reason === null ? {} : { reason }) },
      at: now,
    });
    if (action === 'reject' && reason !== null) enqueueRejectionMail(db, tx, after, reason, now);
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
