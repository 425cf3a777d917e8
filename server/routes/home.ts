import type { FastifyInstance } from 'fastify';
import { linesOf } from '../domain/disbursement-list.js';
import { countPendingDisbursements, listRecentDisbursements } from '../domain/disbursements.js';

/** The home for the role (SPEC §6): quick entry and recent records, all through the actor's scope. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const rows = actor.role === 'auditor' ? [] : listRecentDisbursements(app.db, actor, 20);
    // What the money was for: category and amount of each line.
    const lines = linesOf(
      app.db,
      rows.map((r) => r.id),
    );
    const recent = rows.map((r) => ({ ...r, lines: lines.filter((l) => l.disbursementId === r.id) }));
    const pendingCount = actor.role === 'coordinator' ? countPendingDisbursements(app.db, actor) : null;
    return reply.view('home/index.eta', { title: request.t('home.title'), recent, pendingCount });
  });
}
