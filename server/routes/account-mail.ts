import type { FastifyInstance } from 'fastify';
import { setOwnMailOptIn } from '../domain/mail-outbox.js';
import { mailOptInForm } from '../forms/account-mail.js';
import { parseForm } from '../forms/parse.js';

/** The account page's e-mail switch (issue 13 §4): off by default, refused (409) while mail is off. */
export async function accountMailRoutes(app: FastifyInstance): Promise<void> {
  app.post('/account/mail', async (request, reply) => {
    const form = parseForm(mailOptInForm, request.body);
    if (!form.ok) return reply.code(400).send();
    setOwnMailOptIn(app.db, request.actor!, form.data.enabled === '1', app.clock.now());
    reply.flash('success', 'mail.saved');
    return reply.redirect('/account', 303);
  });
}
