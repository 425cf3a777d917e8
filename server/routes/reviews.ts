import type { FastifyInstance } from 'fastify';
import { approveMany } from '../domain/bulk-review.js';
import { NotFound } from '../domain/errors.js';
import { listFlags } from '../domain/limits.js';
import { listActiveRejectionReasons } from '../domain/rejection-reasons.js';
import { assertCanReview, getReviewItem, listReviewFilterOptions, listReviewQueue, type ReviewItem } from '../domain/review-queue.js';
import { allowedActions } from '../domain/workflow.js';
import { parseBulkItems, parseQueueField, reviewQuery, reviewQueryString, toReviewFilter } from '../forms/review.js';
import { parseQuery } from '../forms/params.js';

/** The coordinator's queue (SPEC §6 /review) and its bulk approval. */
export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  app.get('/review', async (request, reply) => {
    const actor = request.actor!;
    assertCanReview(actor);
    const query = parseQuery(reviewQuery, request.query);
    const queue = listReviewQueue(app.db, actor, { ...toReviewFilter(query), page: query.page });
    const qs = reviewQueryString(query);
    const isFiltered = qs !== 'sort=age';
    return reply.view('review/index.eta', {
      isFiltered,
      title: request.t('review.title'),
      queue,
      filter: query,
      qs,
      options: listReviewFilterOptions(app.db),
      presets: listActiveRejectionReasons(app.db).map((r) => ({ id: r.id, text: r.text })),
      allowedFor: (item: ReviewItem) => allowedActions(actor, item, { isLocked: item.isLocked, approverIds: item.approverIds }),
      pageUrl: (page: number) => `/review?${isFiltered ? `${qs}&` : ''}page=${page}`,
      flagsFor: listFlags(
        app.db,
        queue.items.map((item) => item.id),
      ),
    });
  });

  // 「選択したものを承認」: one submission, each record judged on its own; the answer lists them all.
  app.post('/review/approve', async (request, reply) => {
    const actor = request.actor!;
    assertCanReview(actor);
    const items = parseBulkItems(request.body);
    const queue = parseQueueField((request.body as Record<string, unknown> | undefined)?.queue);
    const qs = queue ? reviewQueryString(queue) : '';
    if (items === null) {
      reply.flash('error', 'review.bulk.noneSelected');
      return reply.redirect(`/review${qs ? `?${qs}` : ''}`, 303);
    }
    const results = approveMany(app.db, actor, items, app.clock.now()).map((result) => {
      let item: ReviewItem | null = null;
      try {
        item = getReviewItem(app.db, actor, result.id);
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
      }
      return { ...result, item };
    });
    return reply.view('review/bulk-result.eta', {
      title: request.t('review.bulk.resultTitle'),
      results,
      approved: results.filter((r) => r.outcome !== 'refused').length,
      refused: results.filter((r) => r.outcome === 'refused').length,
      backUrl: `/review${qs ? `?${qs}` : ''}`,
    });
  });
}
