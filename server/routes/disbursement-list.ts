import type { FastifyInstance } from 'fastify';
import { DISBURSEMENT_STATUSES } from '../domain/enums.js';
import { listDisbursementsFor, listSubmitterOptions } from '../domain/disbursement-list.js';
import { listReviewFilterOptions } from '../domain/review-queue.js';
import { disbursementListQuery, reviewQueryString, toReviewFilter } from '../forms/review.js';
import { parseQuery } from '../forms/params.js';

/** GET /disbursements: the records each role may see (own group for supporters), filtered and sorted. */
export async function disbursementListRoutes(app: FastifyInstance): Promise<void> {
  app.get('/disbursements', async (request, reply) => {
    const actor = request.actor!;
    const query = parseQuery(disbursementListQuery, request.query);
    const list = listDisbursementsFor(app.db, actor, { ...toReviewFilter(query), status: query.status, page: query.page });
    const qs = `${reviewQueryString(query)}${query.status ? `&status=${query.status}` : ''}`;
    const options = { ...listReviewFilterOptions(app.db), submitters: listSubmitterOptions(app.db, actor) };
    return reply.view('disbursements/index.eta', {
      title: request.t('list.title'),
      list,
      filter: query,
      statuses: DISBURSEMENT_STATUSES,
      // A supporter's scope is one group: no group filter to offer.
      options: actor.role === 'supporter' ? { ...options, organizations: [] } : options,
      pageUrl: (page: number) => `/disbursements?${qs}&page=${page}`,
    });
  });
}
