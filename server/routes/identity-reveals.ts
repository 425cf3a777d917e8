import type { FastifyInstance } from 'fastify';
import { assertCan } from '../domain/actor.js';
import { DomainError } from '../domain/errors.js';
import { REVEAL_REASONS, revealsInMonth, revealSummary } from '../domain/identity-reveals.js';
import { revealReportQuery } from '../forms/identity-reveal.js';

/** Who opened whose identity, and why: for admins and auditors, so misuse shows (issue 18 §2). */
export async function identityRevealReportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/reveals', async (request, reply) => {
    const actor = request.actor!;
    assertCan(actor, 'identity.revealReport');
    const query = revealReportQuery.safeParse(request.query);
    if (!query.success) throw new DomainError('errors.badRequest');
    const summary = revealSummary(app.db, actor);
    const month = query.data.month ?? summary[0]?.month ?? null;
    const details = month ? revealsInMonth(app.db, actor, month) : [];
    return reply.view('admin/reveals.eta', { title: request.t('reveal.reportTitle'), summary, month, details, reasons: REVEAL_REASONS });
  });
}
