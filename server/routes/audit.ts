import type { FastifyInstance } from 'fastify';
import { assertCan } from '../domain/actor.js';
import { listAuditEvents, listAuditFilterOptions, verifyTrailFor } from '../domain/audit-trail.js';
import { auditQuery } from '../forms/audit-filter.js';
import { parseQuery } from '../forms/review.js';

/** GET /audit: the trail, newest first, with the chain's verification on top (SPEC §7). */
export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get('/audit', async (request, reply) => {
    const actor = request.actor!;
    assertCan(actor, 'audit.read');
    const query = parseQuery(auditQuery, request.query);
    const trail = listAuditEvents(app.db, actor, {
      from: query.from,
      to: query.to,
      actorUserId: query.actor,
      action: query.action,
      entityType: query.entityType,
      entityId: query.entityId,
      page: query.page,
    });
    const pageUrl = (page: number) => {
      const params = new URLSearchParams();
      for (const key of ['from', 'to', 'actor', 'action', 'entityType', 'entityId'] as const) {
        const value = query[key];
        if (value !== undefined) params.set(key, String(value));
      }
      params.set('page', String(page));
      return `/audit?${params.toString()}`;
    };
    return reply.view('audit/index.eta', {
      title: request.t('audit.title'),
      verdict: verifyTrailFor(app.db, actor),
      trail,
      filter: query,
      options: listAuditFilterOptions(app.db),
      pageUrl,
    });
  });
}
