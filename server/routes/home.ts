import type { FastifyInstance } from 'fastify';

/** The home for the role (SPEC §6); later features add their panels through homePanels. */
export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    return reply.view('home/index.eta', { title: request.t('home.title') });
  });
}
