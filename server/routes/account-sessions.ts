import type { FastifyInstance } from 'fastify';
import { listOwnSessions, revokeOtherSessions, revokeOwnSession } from '../domain/account-sessions.js';
import { DomainError } from '../domain/errors.js';
import { secondFactorStatus } from '../domain/second-factor.js';
import { parseForm } from '../forms/parse.js';
import { sessionRevokeForm } from '../forms/second-factor.js';

/** The user's own sessions: where they are signed in, and ending the ones they do not recognise. */
export async function accountSessionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/account/sessions', async (request, reply) => {
    const actor = request.actor!;
    return reply.view('account/sessions.eta', {
      title: request.t('sessions.title'),
      sessions: listOwnSessions(app.db, actor, request.session!.sessionId),
      factor: secondFactorStatus(app.db, actor.userId),
    });
  });

  app.post('/account/sessions/revoke', async (request, reply) => {
    const form = parseForm(sessionRevokeForm, request.body);
    if (!form.ok) throw new DomainError('errors.badRequest');
    revokeOwnSession(app.db, request.actor!, request.session!.sessionId, form.data.session, app.clock.now());
    reply.flash('success', 'sessions.revoked');
    return reply.redirect('/account/sessions', 303);
  });

  app.post('/account/sessions/revoke-others', async (request, reply) => {
    revokeOtherSessions(app.db, request.actor!, request.session!.sessionId, app.clock.now());
    reply.flash('success', 'sessions.revokedOthers');
    return reply.redirect('/account/sessions', 303);
  });
}
