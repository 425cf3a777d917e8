import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import qs from 'qs';
import type { Db } from '../db/client.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { parseQueryString } from './forms/query-string.js';
import { loggerOptions } from './logging.js';
import { corePlugin } from './plugins/core.js';
import { errorsPlugin } from './plugins/errors.js';
import { i18nPlugin } from './plugins/i18n.js';
import { mailPlugin } from './plugins/mail.js';
import { metricsPlugin } from './plugins/metrics.js';
import { replicationPlugin } from './plugins/replication.js';
import { securityPlugin } from './plugins/security.js';
import { requireSignIn, sessionPlugin } from './plugins/session.js';
import { viewsPlugin } from './plugins/views.js';
import { publicRoutes, protectedRoutes } from './routes/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: { method: string; url: string }[];
  }
}

export interface BuildOptions {
  config: Config;
  db: Db;
  clock?: Clock;
  logger?: boolean;
  /** Where log lines go (stdout when absent); tests capture them to prove what never reaches a log. */
  logStream?: NodeJS.WritableStream;
}

export { LOG_REDACT } from './logging.js';

/** TRUST_PROXY as Fastify takes it: a hop count trusts that many proxies nearest to us. */
function trustProxyOption(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/** Build the app: no listening, no environment reads (ARCHITECTURE: build is not listen). */
export async function buildApp({ config, db, clock = systemClock, logger = true, logStream }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, logger, logStream),
    genReqId: () => randomUUID().slice(0, 8),
    bodyLimit: 1_048_576,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    // Behind a reverse proxy, X-Forwarded-For names the client, but only when the peer is trusted.
    trustProxy: trustProxyOption(config.trustProxy),
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseQueryString },
  });

  await app.register(corePlugin, { config, db, clock });
  await app.register(replicationPlugin);
  await app.register(metricsPlugin);
  await app.register(mailPlugin);
  await app.register(cookie);
  // Nested field names (lines[0][amount]) become objects; prototype keys are dropped by qs.
  await app.register(formbody, {
    bodyLimit: 262_144,
    parser: (body) => qs.parse(body, { depth: 3, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false }),
  });
  await app.register(sessionPlugin);
  await app.register(i18nPlugin);
  await app.register(securityPlugin);
  await app.register(viewsPlugin);
  await app.register(errorsPlugin);

  // Every route, for the access sweep tests (each must appear in their expectation table).
  const registeredRoutes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') registeredRoutes.push({ method, url: route.url });
  });
  app.decorate('registeredRoutes', registeredRoutes);

  await app.register(publicRoutes);
  await app.register(async (signedIn) => {
    signedIn.addHook('onRequest', requireSignIn);
    await signedIn.register(protectedRoutes);
  });
  return app;
}
