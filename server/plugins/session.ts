import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertCan, type Actor } from '../domain/actor.js';
import { Forbidden } from '../domain/errors.js';
import { nextAfterSignIn } from '../forms/auth.js';
import type { FactorStage } from '../domain/account-sessions.js';
import { pendingFactorFor, type PendingFactor } from '../domain/second-factor.js';
import { validateSessionToken, type ValidSession } from '../domain/sessions.js';

export const FLASH_COOKIE = 'flash';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: ValidSession | null;
    /** A session past the password but not yet the second factor: no actor, only the second step. */
    pendingFactor: PendingFactor | null;
  }
  interface FastifyReply {
    startSession(token: string): void;
    endSession(): void;
    /** Show a message (a catalog key) on the next page this session sees. */
    flash(kind: 'success' | 'error', key: string): void;
  }
}

/** Reads the session cookie on every request and puts the actor on it (null when signed out). */
export const sessionPlugin = fp(
  async (app) => {
    const { config, db, clock } = app;
    const cookieName = config.isProduction ? '__Host-sid' : 'sid';
    const policy = { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionMaxHours * 3_600_000 };
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: config.isProduction,
    };

    app.decorateRequest('actor', null);
    app.decorateRequest('session', null);
    app.decorateRequest('pendingFactor', null);
    app.decorateReply('startSession', function (this: FastifyReply, token: string) {
      this.setCookie(cookieName, token, { ...cookieOptions, maxAge: config.sessionMaxHours * 3600 });
    });
    app.decorateReply('endSession', function (this: FastifyReply) {
      this.clearCookie(cookieName, cookieOptions);
    });
    // A cookie, not a write to the session row: a form POST then costs one commit (fsync), not two.
    app.decorateReply('flash', function (this: FastifyReply, kind: 'success' | 'error', key: string) {
      this.setCookie(FLASH_COOKIE, `${kind}:${key}`, { ...cookieOptions, maxAge: 120 });
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[cookieName];
      if (!token) return;
      const session = validateSessionToken(db, token, clock.now(), policy);
      if (!session) {
        reply.endSession();
        return;
      }
      const pending = pendingFactorFor(db, session.sessionId, clock.now());
      if (pending === 'expired') {
        reply.endSession();
        return;
      }
      request.session = session;
      if (pending) request.pendingFactor = pending;
      else request.actor = session.actor;
    });
  },
  { name: 'session', dependencies: ['core'] },
);

/** Where a half-authenticated session is sent: the code prompt, or a required enrolment. */
export const SECOND_FACTOR_PATHS: Record<FactorStage, string> = { verify: '/login/second-factor', enrol: '/login/second-factor/enrol' };

/**
 * For the admin context inside the protected one (SPEC §5: admin flag only). A preHandler, so it
 * runs after sign-in, CSRF and language are settled and the 403 page is rendered in the admin's
 * language; it runs before any handler reads or writes.
 */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!request.actor) throw new Forbidden();
  assertCan(request.actor, 'admin.manage');
}

/** For the protected context: signed-out visitors go to the sign-in page (SPEC §6). */
export async function requireSignIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.pendingFactor) return reply.redirect(SECOND_FACTOR_PATHS[request.pendingFactor.stage], 303);
  if (!request.actor || !request.session) {
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(nextAfterSignIn(request.url))}` : '';
    return reply.redirect(`/login${next}`, 303);
  }
  const url = request.url.split('?')[0];
  if (request.session.mustChangePassword && url !== '/account/password' && url !== '/logout') {
    return reply.redirect('/account/password', 303);
  }
}
