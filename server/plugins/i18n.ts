import fp from 'fastify-plugin';
import type { Locale } from '../domain/enums.js';
import { isLocale, translator, type Translate } from '../i18n/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

export const LANG_COOKIE = 'lang';

/**
 * The language of a request: the signed-in user's preference, else `?lang=` (remembered in a
 * cookie for signed-out pages), else the cookie, else Japanese.
 */
export const i18nPlugin = fp(
  async (app) => {
    app.decorateRequest('locale', 'ja');
    app.decorateRequest('t', null as unknown as Translate);
    app.addHook('preHandler', async (request, reply) => {
      const query = request.query as Record<string, unknown> | undefined;
      const fromQuery = query?.lang;
      let locale: Locale = 'ja';
      if (request.actor) locale = request.actor.locale;
      else if (isLocale(fromQuery)) {
        locale = fromQuery;
        reply.setCookie(LANG_COOKIE, locale, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400 });
      } else if (isLocale(request.cookies[LANG_COOKIE])) locale = request.cookies[LANG_COOKIE] as Locale;
      request.locale = locale;
      request.t = translator(locale);
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);
