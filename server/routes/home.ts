import type { FastifyInstance } from 'fastify';
import { countPendingDisbursements, listRecentDisbursements } from '../domain/disbursements.js';

/** The home for the role (SPEC §6): quick entry and recent records, all through the actor's scope. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    const actor = request.actor!;
    const recent = actor.role === 'auditor' ? [] : listRecentDisbursements(app.db, actor, 20);
    const pendingCount = actor.role === 'coordinator' ? countPendingDisbursements(app.db, actor) : null;
    return reply.view('home/index.eta', { title: request.t('home.title'), recent, pendingCount });
  });
}
