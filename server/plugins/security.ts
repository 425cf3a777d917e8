import { hkdfSync } from 'node:crypto';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';

export class ForeignOriginError extends Error {
  readonly statusCode = 403;
  readonly code = 'FOREIGN_ORIGIN';
}

/** A multipart field arrives as {value}; a urlencoded one as a string. */
function tokenFromBody(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const field = body?._csrf;
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && 'value' in field && typeof field.value === 'string') return field.value;
  return undefined;
}

/**
 * Headers, CSP, CSRF, origin checks and rate limits around every request (SPEC §6, §8).
 * Our pages need no inline script or style, so the CSP allows neither.
 */
export const securityPlugin = fp(
  async (app) => {
    const { config } = app;
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.isProduction,
      // With 'no-referrer' browsers send `Origin: null` on our own form posts, which the origin check refuses.
      referrerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
    });

    app.addHook('onSend', async (request, reply) => {
      reply.removeHeader('x-powered-by');
      if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    });

    await app.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: '1 minute',
      // The error handler renders the page; this only shapes the thrown error.
      errorResponseBuilder: (_req, context) => ({ statusCode: 429, code: 'RATE_LIMITED', message: `retry in ${context.after}` }),
    });

    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: config.isProduction, signed: false },
      csrfOpts: { hmacKey: Buffer.from(hkdfSync('sha256', config.dataKey, 'csrf', 'csrf-token-binding', 32)) },
      getUserInfo: (request: FastifyRequest) => request.session?.sessionId ?? 'signed-out',
      getToken: tokenFromBody,
    });

    // Browsers say where a form came from; a cross-site POST never reaches a handler.
    app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (request.method === 'GET' || request.method === 'HEAD') return done();
      const site = request.headers['sec-fetch-site'];
      if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return done(new ForeignOriginError());
      const origin = request.headers.origin;
      if (typeof origin === 'string' && origin !== 'null') {
        let sameHost = false;
        try {
          const from = new URL(origin);
          // Parse Host with the origin's scheme so an explicit default port (example.org:443) still matches.
          sameHost = from.host === new URL(`${from.protocol}//${request.headers.host ?? ''}`).host;
        } catch {
          return done(new ForeignOriginError());
        }
        if (!sameHost) return done(new ForeignOriginError());
      } else if (origin === 'null') return done(new ForeignOriginError());
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'security', dependencies: ['core', 'session'] },
);

/** The token for the forms of this request, bound to its session. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: request.session?.sessionId ?? 'signed-out' });
}
