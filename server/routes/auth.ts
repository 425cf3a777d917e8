import type { FastifyInstance } from 'fastify';
import { signIn, signOut } from '../domain/auth.js';
import { secondFactorRequired } from '../domain/network-settings.js';
import { loginForm, safeNext } from '../forms/auth.js';
import { parseForm, textValue } from '../forms/parse.js';
import { SECOND_FACTOR_PATHS } from '../plugins/session.js';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.get('/login', async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    const query = request.query as Record<string, unknown>;
    return reply.view('auth/login.eta', { values: { email: '', next: safeNext(query.next) }, errors: {}, formError: null });
  });

  app.post('/login', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const form = parseForm(loginForm, request.body);
    if (!form.ok) {
      const values = { email: textValue(form.values, 'email'), next: safeNext(form.values.next) };
      return reply.code(422).view('auth/login.eta', { values, errors: form.errors, formError: null });
    }
    const result = await signIn(app.db, {
      email: form.data.email,
      password: form.data.password,
      ip: request.ip,
      now: app.clock.now(),
      replacesSessionId: request.session?.sessionId,
      userAgent: request.headers['user-agent'],
      requireSecondFactor: secondFactorRequired(app.db, app.config.requireSecondFactor),
    });
    if (!result.ok) {
      const status = result.reason === 'throttled' ? 429 : 401;
      const formError = result.reason === 'throttled' ? 'login.throttled' : 'login.failed';
      return reply.code(status).view('auth/login.eta', { values: { email: form.data.email, next: safeNext(form.data.next) }, errors: {}, formError });
    }
    reply.startSession(result.token);
    if (result.secondFactor) return reply.redirect(SECOND_FACTOR_PATHS[result.secondFactor], 303);
    return reply.redirect(result.mustChangePassword ? '/account/password' : safeNext(form.data.next), 303);
  });

  app.post('/logout', async (request, reply) => {
    const userId = request.actor?.userId ?? request.pendingFactor?.userId;
    if (request.session && userId !== undefined) signOut(app.db, request.session.sessionId, userId, app.clock.now());
    reply.endSession();
    return reply.redirect('/login?loggedOut=1', 303);
  });
}
