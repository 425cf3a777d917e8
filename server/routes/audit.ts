import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertCan } from '../domain/actor.js';
import { exportAuditCsv } from '../domain/audit-export.js';
import { listAuditEvents, listAuditFilterOptions, verifyTrailFor } from '../domain/audit-trail.js';
import { actionLabel, describeEvents } from '../domain/audit-words.js';
import { catalogs } from '../i18n/index.js';
import { auditQuery } from '../forms/audit-filter.js';
import { parseQuery } from '../forms/params.js';
import { csvType, sendDownload } from './downloads.js';

function filterOf(request: FastifyRequest) {
  const query = parseQuery(auditQuery, request.query);
  return {
    query,
    filter: { from: query.from, to: query.to, actorUserId: query.actor, action: query.action, entityType: query.entityType, entityId: query.entityId },
  };
}

/** GET /audit: the trail in words, newest first, with the chain's verification on top (SPEC §7); /audit.csv raw. */
export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get('/audit', async (request, reply) => {
    const actor = request.actor!;
    assertCan(actor, 'audit.read');
    const { query, filter } = filterOf(request);
    const trail = listAuditEvents(app.db, actor, { ...filter, page: query.page });
    const catalog = catalogs[request.locale] as Record<string, string>;
    const params = new URLSearchParams();
    for (const key of ['from', 'to', 'actor', 'action', 'entityType', 'entityId'] as const) {
      const value = query[key];
      if (value !== undefined) params.set(key, String(value));
    }
    const options = listAuditFilterOptions(app.db);
    return reply.view('audit/index.eta', {
      title: request.t('audit.title'),
      verdict: verifyTrailFor(app.db, actor),
      trail,
      events: describeEvents(app.db, actor, trail.entries, request.t, catalog),
      filter: query,
      options: { ...options, actions: options.actions.map((a) => ({ code: a, label: actionLabel(request.t, catalog, a) })) },
      csvUrl: `/audit.csv${params.size > 0 ? `?${params.toString()}` : ''}`,
      pageUrl: (page: number) => `/audit?${params.size > 0 ? `${params.toString()}&` : ''}page=${page}`,
    });
  });

  app.get('/audit.csv', async (request, reply) => {
    const { filter } = filterOf(request);
    const file = exportAuditCsv(app.db, request.actor!, filter, app.clock.now());
    return sendDownload(reply, csvType(), 'audit-trail.csv', file.body);
  });
}
