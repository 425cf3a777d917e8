import type { FastifyInstance } from 'fastify';
import { rejectMany } from '../domain/bulk-review.js';
import { InvalidInput, NotFound } from '../domain/errors.js';
import { composeRejectReason } from '../domain/rejection-reasons.js';
import { assertCanReview, getReviewItem, type ReviewItem } from '../domain/review-queue.js';
import { parseForm } from '../forms/parse.js';
import { bulkRejectForm, parseBulkItems, parseQueueField, reviewQueryString } from '../forms/review.js';

/** 「選択したものを却下」 beside bulk approval: one reason (preset and/or text), each record judged alone. */
export async function reviewBulkRejectRoutes(app: FastifyInstance): Promise<void> {
  app.post('/review/reject', async (request, reply) => {
    const actor = request.actor!;
    assertCanReview(actor);
    const items = parseBulkItems(request.body);
    const queue = parseQueueField((request.body as Record<string, unknown> | undefined)?.queue);
    const backUrl = `/review${queue ? `?${reviewQueryString(queue)}` : ''}`;
    const form = parseForm(bulkRejectForm, request.body);
    if (!form.ok) return reply.code(400).send();
    if (items === null) {
      reply.flash('error', 'bulkReject.noneSelected');
      return reply.redirect(backUrl, 303);
    }
    let reason: string;
    try {
      reason = composeRejectReason(app.db, form.data.preset, form.data.reason);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      reply.flash('error', error.fieldErrors.preset ? 'bulkReject.badPreset' : 'bulkReject.noReason');
      return reply.redirect(backUrl, 303);
    }
    const results = rejectMany(app.db, actor, items, reason, app.clock.now()).map((result) => ({ ...result, item: visibleItem(app, actor, result.id) }));
    return reply.view('review/bulk-reject-result.eta', {
      title: request.t('bulkReject.resultTitle'),
      results,
      reason,
      rejected: results.filter((r) => r.outcome === 'rejected').length,
      refused: results.filter((r) => r.outcome === 'refused').length,
      backUrl,
    });
  });
}

function visibleItem(app: FastifyInstance, actor: NonNullable<Parameters<typeof getReviewItem>[1]>, id: number): ReviewItem | null {
  try {
    return getReviewItem(app.db, actor, id);
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}
