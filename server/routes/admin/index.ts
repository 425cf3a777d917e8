import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertCan } from '../../domain/actor.js';
import { Forbidden } from '../../domain/errors.js';

/**
 * The one admin check (SPEC §5: admin flag only). Each admin route plugin adds it as a
 * preHandler, so it runs after sign-in, CSRF and language are settled and the 403 page is
 * rendered in the admin's language; it runs before any handler reads or writes.
 */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!request.actor) throw new Forbidden();
  assertCan(request.actor, 'admin.manage');
}

const SECTIONS = ['organizations', 'users', 'categories', 'funds', 'period-locks', 'accounting', 'rejection-reasons'] as const;

export async function adminIndexRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireAdmin);

  app.get('/admin', async (request, reply) =>
    reply.view('admin/index.eta', { title: request.t('admin.title'), sections: SECTIONS }),
  );
}
