import type { FastifyInstance } from 'fastify';
import { secondFactorRequired, setSecondFactorRequired } from '../../domain/network-settings.js';
import { textValue } from '../../forms/parse.js';

/** Admin: network-wide sign-in security (whether coordinators and admins need a second factor). */
export async function adminSecurityRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/security', async (request, reply) =>
    reply.view('admin/security.eta', { title: request.t('security.title'), requireSecondFactor: secondFactorRequired(app.db, app.config.requireSecondFactor) }),
  );

  // A checkbox: present means on, absent means off (so an empty form is a valid "off").
  app.post('/admin/security', async (request, reply) => {
    const on = textValue((request.body ?? {}) as Record<string, unknown>, 'requireSecondFactor') === '1';
    setSecondFactorRequired(app.db, request.actor!, on, app.config.requireSecondFactor, app.clock.now());
    reply.flash('success', 'security.saved');
    return reply.redirect('/admin/security', 303);
  });
}
