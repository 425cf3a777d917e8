import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createFieldCipher } from '../domain/field-crypto.js';
import {
  beginEnrolment,
  confirmEnrolment,
  regenerateRecoveryCodes,
  resetSecondFactor,
  secondFactorStatus,
  verifySecondFactor,
  type PendingFactor,
} from '../domain/second-factor.js';
import { totpQrSvg } from '../domain/totp.js';
import { NotFound } from '../domain/errors.js';
import { signInOptions, verifyPasskeySignIn } from '../domain/passkeys.js';
import { relyingPartyFor } from '../domain/webauthn.js';
import { passkeySignInForm } from '../forms/passkeys.js';
import { factorCodeForm, factorResetForm } from '../forms/second-factor.js';
import { parseForm } from '../forms/parse.js';
import { pathId } from '../forms/params.js';

const device = (request: FastifyRequest) => ({ userAgent: request.headers['user-agent'], ip: request.ip });

/** The sign-in's second step: only a half-authenticated session may be here. */
export async function secondFactorSignInRoutes(app: FastifyInstance): Promise<void> {
  const cipher = createFieldCipher(app.config.dataKey, app.config.previousDataKeys);
  const pendingOf = (request: FastifyRequest, stage: PendingFactor['stage']) => (request.pendingFactor?.stage === stage ? request.pendingFactor : null);

  const rp = app.config.publicOrigin ? relyingPartyFor(app.config.publicOrigin) : null;
  const hasTotp = (userId: number) => secondFactorStatus(app.db, userId).enrolled;
  const renderVerify = (request: FastifyRequest, reply: FastifyReply, status: number, errors: Record<string, string>, formError: string | null) => {
    const pending = request.pendingFactor!;
    // Each visit hands out a fresh single-use challenge for the passkey button (none without passkeys).
    const passkey = rp ? signInOptions(app.db, pending, rp, app.clock.now()) : null;
    return reply.code(status).view('second-factor/verify.eta', {
      title: request.t('secondFactor.verifyTitle'),
      errors,
      formError,
      passkey,
      codeForm: hasTotp(pending.userId) || !passkey,
    });
  };

  app.get('/login/second-factor', async (request, reply) => {
    if (!pendingOf(request, 'verify')) return reply.redirect(request.actor ? '/' : '/login', 303);
    return renderVerify(request, reply, 200, {}, null);
  });

  app.post('/login/second-factor', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const pending = pendingOf(request, 'verify');
    if (!pending) return reply.redirect(request.actor ? '/' : '/login', 303);
    const form = parseForm(factorCodeForm, request.body);
    if (!form.ok) return renderVerify(request, reply, 422, form.errors, null);
    const result = verifySecondFactor(app.db, pending, form.data.code, { cipher, now: app.clock.now(), device: device(request) });
    if (!result.ok) {
      const throttled = result.reason === 'throttled';
      return renderVerify(request, reply, throttled ? 429 : 401, {}, throttled ? 'login.throttled' : 'secondFactor.failed');
    }
    reply.startSession(result.token);
    return reply.redirect('/', 303);
  });

  app.post('/login/passkey', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const pending = pendingOf(request, 'verify');
    if (!pending) return reply.redirect(request.actor ? '/' : '/login', 303);
    if (!rp) throw new NotFound();
    const form = parseForm(passkeySignInForm, request.body);
    if (!form.ok) return renderVerify(request, reply, 422, {}, 'passkeys.failed');
    const result = verifyPasskeySignIn(app.db, pending, form.data, { rp, now: app.clock.now(), device: device(request) });
    if (!result.ok) {
      const throttled = result.reason === 'throttled';
      return renderVerify(request, reply, throttled ? 429 : 401, {}, throttled ? 'login.throttled' : 'passkeys.failed');
    }
    reply.startSession(result.token);
    return reply.redirect('/', 303);
  });

  const renderEnrol = (request: FastifyRequest, reply: FastifyReply, pending: PendingFactor, status: number, errors: Record<string, string>) => {
    const { secret, uri } = beginEnrolment(app.db, pending.userId, cipher, app.clock.now());
    return reply.code(status).view('second-factor/enrol.eta', {
      title: request.t('secondFactor.enrolTitle'),
      secret,
      qr: totpQrSvg(uri, request.t('secondFactor.qrLabel')),
      action: '/login/second-factor/enrol',
      required: true,
      errors,
    });
  };

  app.get('/login/second-factor/enrol', async (request, reply) => {
    const pending = pendingOf(request, 'enrol');
    if (!pending) return reply.redirect(request.actor ? '/' : '/login', 303);
    return renderEnrol(request, reply, pending, 200, {});
  });

  app.post('/login/second-factor/enrol', async (request, reply) => {
    const pending = pendingOf(request, 'enrol');
    if (!pending) return reply.redirect(request.actor ? '/' : '/login', 303);
    const form = parseForm(factorCodeForm, request.body);
    if (!form.ok) return renderEnrol(request, reply, pending, 422, form.errors);
    const result = confirmEnrolment(app.db, pending.userId, form.data.code, { cipher, now: app.clock.now(), pending, device: device(request) });
    if (!result.ok) return renderEnrol(request, reply, pending, 422, { code: 'secondFactor.wrongCode' });
    if (result.token) reply.startSession(result.token);
    return reply.view('second-factor/recovery-codes.eta', { title: request.t('secondFactor.recoveryTitle'), codes: result.recoveryCodes });
  });
}

/** Enrolment by a signed-in user who chooses it (or whose requirement came later). */
export async function secondFactorAccountRoutes(app: FastifyInstance): Promise<void> {
  const cipher = createFieldCipher(app.config.dataKey, app.config.previousDataKeys);

  const render = (request: FastifyRequest, reply: FastifyReply, status: number, errors: Record<string, string>, formError: string | null = null) => {
    const actor = request.actor!;
    const factor = secondFactorStatus(app.db, actor.userId);
    if (factor.enrolled)
      return reply.code(status).view('second-factor/status.eta', { title: request.t('secondFactor.title'), status: factor, errors, formError });
    const { secret, uri } = beginEnrolment(app.db, actor.userId, cipher, app.clock.now());
    return reply.code(status).view('second-factor/enrol.eta', {
      title: request.t('secondFactor.enrolTitle'),
      secret,
      qr: totpQrSvg(uri, request.t('secondFactor.qrLabel')),
      action: '/account/second-factor',
      required: false,
      errors,
    });
  };

  app.get('/account/second-factor', async (request, reply) => render(request, reply, 200, {}));

  app.post('/account/second-factor', async (request, reply) => {
    const form = parseForm(factorCodeForm, request.body);
    if (!form.ok) return render(request, reply, 422, form.errors);
    const result = confirmEnrolment(app.db, request.actor!.userId, form.data.code, { cipher, now: app.clock.now() });
    if (!result.ok) return render(request, reply, 422, { code: 'secondFactor.wrongCode' });
    return reply.view('second-factor/recovery-codes.eta', { title: request.t('secondFactor.recoveryTitle'), codes: result.recoveryCodes });
  });

  app.post('/account/second-factor/recovery-codes', async (request, reply) => {
    const form = parseForm(factorCodeForm, request.body);
    if (!form.ok) return render(request, reply, 422, form.errors);
    const result = regenerateRecoveryCodes(app.db, request.actor!.userId, form.data.code, { cipher, now: app.clock.now() });
    if (!result.ok)
      return result.reason === 'throttled'
        ? render(request, reply, 429, {}, 'login.throttled')
        : render(request, reply, 422, { code: 'secondFactor.wrongCode' });
    return reply.view('second-factor/recovery-codes.eta', { title: request.t('secondFactor.recoveryTitle'), codes: result.recoveryCodes, regenerated: true });
  });
}

/** An admin clears another user's factor, with a reason; the user signs in and enrols again. */
export async function secondFactorAdminRoutes(app: FastifyInstance): Promise<void> {
  app.post('/admin/users/:id/second-factor/reset', async (request, reply) => {
    const userId = pathId(request);
    const form = parseForm(factorResetForm, request.body);
    if (!form.ok) {
      return reply.code(422).view('second-factor/reset.eta', {
        title: request.t('secondFactor.reset'),
        userId,
        errors: form.errors,
        values: { reason: typeof form.values.reason === 'string' ? form.values.reason : '' },
      });
    }
    resetSecondFactor(app.db, request.actor!, userId, form.data.reason, app.clock.now());
    reply.flash('success', 'secondFactor.resetDone');
    return reply.redirect(`/admin/users/${userId}`, 303);
  });
}
