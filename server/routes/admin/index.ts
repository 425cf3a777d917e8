import type { FastifyInstance } from 'fastify';

const SECTIONS = ['organizations', 'users', 'categories', 'funds', 'period-locks', 'accounting', 'rejection-reasons', 'security'] as const;

export async function adminIndexRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin', async (request, reply) => reply.view('admin/index.eta', { title: request.t('admin.title'), sections: SECTIONS }));
}
