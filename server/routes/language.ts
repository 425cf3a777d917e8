import type { FastifyInstance } from 'fastify';
import { InvalidInput } from '../domain/errors.js';
import { setOwnLocale } from '../domain/users.js';
import { languageForm, returnPath } from '../forms/language.js';
import { parseForm } from '../forms/parse.js';
import { LANG_COOKIE, LANG_COOKIE_OPTIONS } from '../plugins/i18n.js';

/** POST /language: the header's language menu. Saved to the account (signed in) and the cookie. */
export async function languageRoutes(app: FastifyInstance): Promise<void> {
  app.post('/language', async (request, reply) => {
    const body = request.body as Record<string, unknown> | undefined;
    const back = returnPath(body?.return);
    const form = parseForm(languageForm, body);
    if (!form.ok) throw new InvalidInput(form.errors);
    const { locale } = form.data;
    if (request.actor && request.actor.locale !== locale) setOwnLocale(app.db, request.actor, locale, app.clock.now());
    reply.setCookie(LANG_COOKIE, locale, LANG_COOKIE_OPTIONS);
    return reply.redirect(back, 303);
  });
}
