import fp from 'fastify-plugin';
import type { Locale } from '../domain/enums.js';
import { localeFromAcceptLanguage } from '../i18n/accept-language.js';
import { isLocale, onMissingMessage, translator, type Translate } from '../i18n/index.js';
import { renderRubyInHtml, stripRuby } from '../i18n/ruby.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    /** Plain text (やさしい日本語's furigana reduced to the base): files, mail, JSON, titles. */
    t: Translate;
    /** やさしい日本語: what request.t returned (plain) → the same with furigana, for page headings. */
    rubyOf: Map<string, string> | null;
  }
}

export const LANG_COOKIE = 'lang';
export const LANG_COOKIE_OPTIONS = { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400 } as const;

/**
 * The language of a request: the signed-in user's preference, else `?lang=` (remembered in a
 * cookie for signed-out pages), else the cookie, else the browser's Accept-Language, else Japanese.
 * HTML pages in やさしい日本語 get their ｜漢字《かんじ》 notation turned into <ruby> on the way out.
 */
export const i18nPlugin = fp(
  async (app) => {
    onMissingMessage((message) => app.log.warn(message));
    app.decorateRequest('locale', 'ja');
    app.decorateRequest('t', null as unknown as Translate);
    app.decorateRequest('rubyOf', null);
    app.addHook('preHandler', async (request, reply) => {
      const query = request.query as Record<string, unknown> | undefined;
      const fromQuery = query?.lang;
      let locale: Locale;
      if (request.actor) locale = request.actor.locale;
      else if (isLocale(fromQuery)) {
        locale = fromQuery;
        reply.setCookie(LANG_COOKIE, locale, LANG_COOKIE_OPTIONS);
      } else if (isLocale(request.cookies[LANG_COOKIE])) locale = request.cookies[LANG_COOKIE] as Locale;
      else locale = localeFromAcceptLanguage(request.headers['accept-language']) ?? 'ja';
      request.locale = locale;
      request.t = translator(locale);
      if (locale === 'ja-x-easy') {
        // Titles reach the page as plain text (they also fill <title>); remember their furigana so
        // the <h1> can show it (views' it.heading).
        const withRuby = translator(locale, { ruby: true });
        const rubyOf = new Map<string, string>();
        request.rubyOf = rubyOf;
        request.t = (key, params) => {
          const text = withRuby(key, params);
          const plain = stripRuby(text);
          if (plain !== text) rubyOf.set(plain, text);
          return plain;
        };
      }
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.locale !== 'ja-x-easy' || typeof payload !== 'string') return payload;
      const type = reply.getHeader('content-type');
      return typeof type === 'string' && type.startsWith('text/html') ? renderRubyInHtml(payload) : payload;
    });
  },
  { name: 'i18n', dependencies: ['session'] },
);
