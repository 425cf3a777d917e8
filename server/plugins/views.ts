import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import fastifyStatic from '@fastify/static';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../domain/actor.js';
import { catalogs, dataLocale, htmlLang, languageMeta, translator } from '../i18n/index.js';
import { LOCALES } from '../i18n/languages.js';
import { returnPath } from '../forms/language.js';
import { FLASH_COOKIE } from './session.js';
import { formatYen, formatYenCampaign } from '../domain/format.js';
import { formatDate, formatDateTime, formatMonth, formatMonthShort } from '../domain/date-labels.js';
import { csrfTokenFor } from './security.js';
import { categoryNamer } from '../domain/category-names.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Data every template sees (set per request below). */
    locals: Record<string, unknown>;
  }
}

/** The header's menu: each language named in itself, unreviewed ones marked. */
const LANGUAGE_MENU = LOCALES.map((code) => ({
  code,
  lang: htmlLang(code),
  name: languageMeta[code].name,
  reviewed: languageMeta[code].reviewed,
  dir: languageMeta[code].dir,
}));

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

/** What every template can use: it.t, it.actor, it.can, it.csrf(), it.flash, it.category(code), formatting helpers. */
export const viewsPlugin = fp(
  async (app) => {
    const { config } = app;
    await app.register(fastifyStatic, {
      root: path.join(root, 'assets'),
      prefix: '/assets/',
      index: false,
      decorateReply: false,
      maxAge: config.isProduction ? '1d' : 0,
    });
    await app.register(view, {
      engine: { eta: new Eta({ views: root, autoEscape: true, cache: config.nodeEnv !== 'development' }) },
      root,
      layout: 'layouts/main.eta',
      production: config.nodeEnv !== 'development',
      viewExt: 'eta',
    });

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      let flash: { kind: string; key: string } | null = null;
      const sent = request.cookies[FLASH_COOKIE];
      if (request.method === 'GET' && sent) {
        const [kind, key] = sent.split(':', 2);
        // The cookie is the browser's to change: show only our own messages, as plain text.
        if ((kind === 'success' || kind === 'error') && key && key in catalogs.ja) flash = { kind, key };
        reply.clearCookie(FLASH_COOKIE, { path: '/' });
      }
      let token: string | null = null;
      const actor = request.actor;
      reply.locals = {
        // Keeps やさしい日本語's furigana notation; the i18n plugin renders it when the page is sent.
        t: translator(request.locale, { ruby: true }),
        locale: request.locale,
        // A page heading from a route's title, with furigana in やさしい日本語 (<title> keeps the base).
        heading: (text: string) => request.rubyOf?.get(text) ?? text,
        htmlLang: htmlLang(request.locale),
        // Reference data (categories, prefectures) has Japanese and English names: which one to show.
        dataLocale: dataLocale(request.locale),
        dir: languageMeta[request.locale].dir,
        languages: LANGUAGE_MENU,
        returnTo: returnPath(request.url),
        actor,
        can: (action: Parameters<typeof can>[1], record?: Parameters<typeof can>[2]) => (actor ? can(actor, action, record) : false),
        csrf: () => (token ??= csrfTokenFor(request, reply)),
        flash,
        path: request.url.split('?')[0],
        isDemo: config.isDemo,
        yen: formatYen,
        yenCampaign: formatYenCampaign,
        // Display only: form inputs and exports keep ISO dates.
        date: (d: string) => formatDate(d, request.locale),
        month: (m: string) => formatMonth(m, request.locale),
        monthShort: (m: string) => formatMonthShort(m, request.locale),
        dateTime: (d: string | Date) => formatDateTime(d, request.locale),
        category: categoryNamer(app.db, request.locale),
      };
    });
  },
  { name: 'views', dependencies: ['core', 'session', 'i18n', 'security'] },
);
