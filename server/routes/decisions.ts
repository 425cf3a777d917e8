import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { DomainError, InvalidInput } from '../domain/errors.js';
import { composeRejectReason, listActiveRejectionReasons } from '../domain/rejection-reasons.js';
import { findNextToReview, getReviewItem } from '../domain/review-queue.js';
import {
  approveDisbursement,
  checkDecision,
  rejectDisbursement,
  voidDisbursement,
  withdrawDisbursement,
  type Disbursement,
  type WorkflowAction,
} from '../domain/workflow.js';
import { parseForm, textValue, type FieldErrors } from '../forms/parse.js';
import { decisionForm, parseQueueField, reasonForm, rejectForm, reviewQueryString, toReviewFilter, type ReviewQuery } from '../forms/review.js';
import { pathId } from '../forms/params.js';

/** After a decision: back to the record, or (carrying the queue's filter) the queue or the next record. */
interface Onward {
  queue: ReviewQuery | null;
  then: 'next' | 'queue' | null;
}

function onwardOf(body: unknown): Onward {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const queue = parseQueueField(raw.queue);
  const then = raw.then === 'next' || raw.then === 'queue' ? raw.then : null;
  return { queue, then: queue ? (then ?? 'queue') : null };
}

/** What differs between the four transitions: the form, whether it carries a reason, the domain call. */
interface DecisionSpec<S extends z.ZodType> {
  form: S;
  reasoned: boolean;
  run: (actor: Actor, id: number, form: z.output<S>, now: Date) => Disbursement;
}

/** The four workflow transitions (SPEC §6), each with approve-and-next when the queue sent it. */
export async function decisionRoutes(app: FastifyInstance): Promise<void> {
  const done = (request: FastifyRequest, reply: FastifyReply, id: number, action: WorkflowAction, after: Disbursement, onward: Onward) => {
    const firstOfTwo = action === 'approve' && after.status === 'pending';
    reply.flash('success', firstOfTwo ? 'review.flash.firstApproval' : `review.flash.${action}`);
    if (!onward.queue) return reply.redirect(`/disbursements/${id}`, 303);
    const qs = reviewQueryString(onward.queue);
    if (onward.then === 'next') {
      const next = findNextToReview(app.db, request.actor!, toReviewFilter(onward.queue));
      if (next !== null) return reply.redirect(`/disbursements/${next}?queue=${encodeURIComponent(qs)}`, 303);
      reply.flash('success', 'review.flash.queueDone');
    }
    return reply.redirect(`/review?${qs}`, 303);
  };

  /**
   * The one handler for the four transitions: the form, then the domain call, then onward. A
   * refusal (404/403/409) outranks a broken form; a bad version is 400; a reasoned action's
   * missing or invalid reason re-renders its form (422). `onward` is read before the change, so
   * a malformed queue value cannot answer 400 after the change was written.
   */
  const decide = <S extends z.ZodType<{ version: number }>>(action: WorkflowAction, spec: DecisionSpec<S>) =>
    app.post(`/disbursements/:id/${action}`, async (request, reply) => {
      const actor = request.actor!;
      const id = pathId(request);
      const form = parseForm(spec.form, request.body);
      if (!form.ok) {
        checkDecision(app.db, actor, id, action);
        if (!spec.reasoned || form.errors.version) throw new DomainError('errors.badRequest');
        return renderReason(request, reply, id, action, form.errors, form.values);
      }
      const onward = onwardOf(request.body);
      try {
        const after = spec.run(actor, id, form.data, app.clock.now());
        return done(request, reply, id, action, after, onward);
      } catch (error) {
        if (spec.reasoned && error instanceof InvalidInput)
          return renderReason(request, reply, id, action, error.fieldErrors, request.body as Record<string, unknown>);
        throw error;
      }
    });

  decide('approve', {
    form: decisionForm,
    reasoned: false,
    run: (actor, id, f, now) => approveDisbursement(app.db, actor, id, { expectedVersion: f.version }, now),
  });
  decide('withdraw', {
    form: decisionForm,
    reasoned: false,
    run: (actor, id, f, now) => withdrawDisbursement(app.db, actor, id, { expectedVersion: f.version }, now),
  });
  decide('reject', {
    form: rejectForm,
    reasoned: true,
    run: (actor, id, f, now) =>
      rejectDisbursement(app.db, actor, id, { expectedVersion: f.version, reason: composeRejectReason(app.db, f.preset, f.reason) }, now),
  });
  decide('void', {
    form: reasonForm,
    reasoned: true,
    run: (actor, id, f, now) => voidDisbursement(app.db, actor, id, { expectedVersion: f.version, reason: f.reason }, now),
  });

  /** 422: the record and its reason form again, the message beside the field, the text kept. */
  function renderReason(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    action: WorkflowAction,
    errors: FieldErrors,
    values: Record<string, unknown>,
  ) {
    return reply.code(422).view('review/reason.eta', {
      title: request.t(`review.${action}Title`),
      item: getReviewItem(app.db, request.actor!, id),
      action,
      errors,
      reason: textValue(values, 'reason'),
      version: textValue(values, 'version'),
      preset: textValue(values, 'preset'),
      presets: action === 'reject' ? listActiveRejectionReasons(app.db).map((r) => ({ id: r.id, text: r.text })) : [],
      queue: typeof values.queue === 'string' ? values.queue : '',
      then: textValue(values, 'then'),
    });
  }
}
