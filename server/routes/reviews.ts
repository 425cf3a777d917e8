import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, InvalidInput } from '../domain/errors.js';
import { listFlags } from '../domain/limits.js';
import { assertCanReview, getReviewItem, listReviewFilterOptions, listReviewQueue, type ReviewItem } from '../domain/review-queue.js';
import {
  allowedActions,
  approveDisbursement,
  checkDecision,
  rejectDisbursement,
  voidDisbursement,
  withdrawDisbursement,
  type WorkflowAction,
} from '../domain/workflow.js';
import { parseForm, textValue, type FieldErrors } from '../forms/parse.js';
import { decisionForm, parseIdParam, parseQuery, reasonForm, reviewQuery } from '../forms/review.js';

const plainDecisions = { approve: approveDisbursement, withdraw: withdrawDisbursement } as const;
const reasonedDecisions = { reject: rejectDisbursement, void: voidDisbursement } as const;

/** The coordinator's queue and the four workflow transitions (SPEC §6). */
export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  app.get('/review', async (request, reply) => {
    const actor = request.actor!;
    assertCanReview(actor);
    const query = parseQuery(reviewQuery, request.query);
    const queue = listReviewQueue(app.db, actor, { organizationId: query.org, fundId: query.fund, categoryCode: query.category, page: query.page });
    const pageUrl = (page: number) => {
      const params = new URLSearchParams();
      if (query.org !== undefined) params.set('org', String(query.org));
      if (query.fund !== undefined) params.set('fund', String(query.fund));
      if (query.category !== undefined) params.set('category', query.category);
      params.set('page', String(page));
      return `/review?${params.toString()}`;
    };
    return reply.view('review/index.eta', {
      title: request.t('review.title'),
      queue,
      filter: query,
      options: listReviewFilterOptions(app.db),
      allowedFor: (item: ReviewItem) => allowedActions(actor, item, { isLocked: item.isLocked }),
      pageUrl,
      flagsFor: listFlags(app.db, queue.items.map((item) => item.id)),
    });
  });

  for (const action of Object.keys(plainDecisions) as (keyof typeof plainDecisions)[]) {
    app.post(`/disbursements/:id/${action}`, async (request, reply) => {
      const actor = request.actor!;
      const id = parseIdParam((request.params as { id?: string }).id);
      const form = parseForm(decisionForm, request.body);
      if (!form.ok) {
        // A refusal (404/403/409) outranks a broken form.
        checkDecision(app.db, actor, id, action);
        throw new DomainError('errors.badRequest');
      }
      plainDecisions[action](app.db, actor, id, { expectedVersion: form.data.version }, app.clock.now());
      return done(reply, id, action);
    });
  }

  for (const action of Object.keys(reasonedDecisions) as (keyof typeof reasonedDecisions)[]) {
    app.post(`/disbursements/:id/${action}`, async (request, reply) => {
      const actor = request.actor!;
      const id = parseIdParam((request.params as { id?: string }).id);
      const form = parseForm(reasonForm, request.body);
      if (!form.ok) {
        checkDecision(app.db, actor, id, action);
        if (form.errors.version) throw new DomainError('errors.badRequest');
        return renderReason(request, reply, id, action, form.errors, form.values);
      }
      try {
        reasonedDecisions[action](app.db, actor, id, { expectedVersion: form.data.version, reason: form.data.reason }, app.clock.now());
      } catch (error) {
        if (error instanceof InvalidInput) return renderReason(request, reply, id, action, error.fieldErrors, request.body as Record<string, unknown>);
        throw error;
      }
      return done(reply, id, action);
    });
  }

  /** 422: the record and its reason form again, the message beside the field, the text kept. */
  function renderReason(request: FastifyRequest, reply: FastifyReply, id: number, action: WorkflowAction, errors: FieldErrors, values: Record<string, unknown>) {
    return reply.code(422).view('review/reason.eta', {
      title: request.t(`review.${action}Title`),
      item: getReviewItem(app.db, request.actor!, id),
      action,
      errors,
      reason: textValue(values, 'reason'),
      version: textValue(values, 'version'),
    });
  }
}

function done(reply: FastifyReply, id: number, action: WorkflowAction) {
  reply.flash('success', `review.flash.${action}`);
  return reply.redirect(`/disbursements/${id}`, 303);
}
