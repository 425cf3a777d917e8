import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, InvalidInput } from '../domain/errors.js';
import { composeRejectReason, listActiveRejectionReasons } from '../domain/rejection-reasons.js';
import { findNextToReview, getReviewItem } from '../domain/review-queue.js';
import { approveDisbursement, checkDecision, rejectDisbursement, voidDisbursement, withdrawDisbursement, type Disbursement, type WorkflowAction } from '../domain/workflow.js';
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

  for (const action of ['approve', 'withdraw'] as const) {
    app.post(`/disbursements/:id/${action}`, async (request, reply) => {
      const actor = request.actor!;
      const id = pathId(request);
      const form = parseForm(decisionForm, request.body);
      if (!form.ok) {
        // A refusal (404/403/409) outranks a broken form.
        checkDecision(app.db, actor, id, action);
        throw new DomainError('errors.badRequest');
      }
      const onward = onwardOf(request.body);
      const decideNow = action === 'approve' ? approveDisbursement : withdrawDisbursement;
      const after = decideNow(app.db, actor, id, { expectedVersion: form.data.version }, app.clock.now());
      return done(request, reply, id, action, after, onward);
    });
  }

  app.post('/disbursements/:id/reject', async (request, reply) => {
    const actor = request.actor!;
    const id = pathId(request);
    const form = parseForm(rejectForm, request.body);
    if (!form.ok) {
      checkDecision(app.db, actor, id, 'reject');
      if (form.errors.version) throw new DomainError('errors.badRequest');
      return renderReason(request, reply, id, 'reject', form.errors, form.values);
    }
    const onward = onwardOf(request.body);
    try {
      const reason = composeRejectReason(app.db, form.data.preset, form.data.reason);
      const after = rejectDisbursement(app.db, actor, id, { expectedVersion: form.data.version, reason }, app.clock.now());
      return done(request, reply, id, 'reject', after, onward);
    } catch (error) {
      if (error instanceof InvalidInput) return renderReason(request, reply, id, 'reject', error.fieldErrors, request.body as Record<string, unknown>);
      throw error;
    }
  });

  app.post('/disbursements/:id/void', async (request, reply) => {
    const actor = request.actor!;
    const id = pathId(request);
    const form = parseForm(reasonForm, request.body);
    if (!form.ok) {
      checkDecision(app.db, actor, id, 'void');
      if (form.errors.version) throw new DomainError('errors.badRequest');
      return renderReason(request, reply, id, 'void', form.errors, form.values);
    }
    try {
      const after = voidDisbursement(app.db, actor, id, { expectedVersion: form.data.version, reason: form.data.reason }, app.clock.now());
      return done(request, reply, id, 'void', after, onwardOf(request.body));
    } catch (error) {
      if (error instanceof InvalidInput) return renderReason(request, reply, id, 'void', error.fieldErrors, request.body as Record<string, unknown>);
      throw error;
    }
  });

  /** 422: the record and its reason form again, the message beside the field, the text kept. */
  function renderReason(request: FastifyRequest, reply: FastifyReply, id: number, action: WorkflowAction, errors: FieldErrors, values: Record<string, unknown>) {
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
