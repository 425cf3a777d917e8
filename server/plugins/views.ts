import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import fastifyStatic from '@fastify/static';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../domain/actor.js';
import { setSessionFlash } from '../domain/sessions.js';
import { formatDate, formatDateTime, formatYen, formatYenCampaign } from '../domain/format.js';
import { csrfTokenFor } from './security.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Data every template sees (set per request below). */
    locals: Record<string, unknown>;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

/** What every template can use: it.t, it.actor, it.can, it.csrf(), it.flash, formatting helpers. */
export const viewsPlugin = fp(
  async (app) => {
    const { config, db } = app;
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
      if (request.method === 'GET' && request.session?.flash) {
        try {
          flash = JSON.parse(request.session.flash) as { kind: string; key: string };
        } catch {
          flash = null;
        }
        setSessionFlash(db, request.session.sessionId, null);
      }
      let token: string | null = null;
      const actor = request.actor;
      reply.locals = {
        t: request.t,
        locale: request.locale,
        actor,
        can: (action: Parameters<typeof can>[1], record?: Parameters<typeof can>[2]) => (actor ? can(actor, action, record) : false),
        csrf: () => (token ??= csrfTokenFor(request, reply)),
        flash,
        path: request.url.split('?')[0],
        isDemo: config.isDemo,
        yen: formatYen,
        yenCampaign: formatYenCampaign,
        date: formatDate,
        dateTime: (d: string | Date) => formatDateTime(d, request.locale),
      };
    });
  },
  { name: 'views', dependencies: ['core', 'session', 'i18n', 'security'] },
);
