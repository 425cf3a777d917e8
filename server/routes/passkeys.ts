import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../domain/errors.js';
import { listPasskeys, registerPasskey, registrationOptions, removePasskey } from '../domain/passkeys.js';
import { relyingPartyFor, WebAuthnRejected } from '../domain/webauthn.js';
import { passkeyRegisterForm } from '../forms/passkeys.js';
import { parseForm, textValue } from '../forms/parse.js';
import { pathId } from '../forms/params.js';

/** The account's passkeys: register (the page's script runs the browser ceremony), list, remove. */
export async function passkeyAccountRoutes(app: FastifyInstance): Promise<void> {
  const rp = app.config.publicOrigin ? relyingPartyFor(app.config.publicOrigin) : null;

  const render = (request: FastifyRequest, reply: FastifyReply, status: number, name: string, errors: Record<string, string>, formError: string | null) => {
    const userId = request.actor!.userId;
    return reply.code(status).view('passkeys/index.eta', {
      title: request.t('passkeys.title'),
      passkeys: listPasskeys(app.db, userId),
      ceremony: rp ? registrationOptions(app.db, userId, rp, app.clock.now()) : null,
      name,
      errors,
      formError,
    });
  };

  app.get('/account/passkeys', async (request, reply) => render(request, reply, 200, '', {}, null));

  app.post('/account/passkeys', async (request, reply) => {
    if (!rp) throw new NotFound();
    const form = parseForm(passkeyRegisterForm, request.body);
    const name = textValue(form.ok ? {} : form.values, 'name');
    if (!form.ok) {
      const { name: nameError, ...ceremony } = form.errors;
      return render(request, reply, 422, name, nameError ? { name: nameError } : {}, Object.keys(ceremony).length > 0 ? 'passkeys.failed' : null);
    }
    try {
      registerPasskey(app.db, request.actor!.userId, form.data, rp, app.clock.now());
    } catch (error) {
      if (error instanceof WebAuthnRejected) return render(request, reply, 422, form.data.name, {}, 'passkeys.failed');
      throw error;
    }
    reply.flash('success', 'passkeys.added');
    return reply.redirect('/account/passkeys', 303);
  });

  app.post('/account/passkeys/:id/delete', async (request, reply) => {
    removePasskey(app.db, request.actor!.userId, pathId(request), app.clock.now());
    reply.flash('success', 'passkeys.removed');
    return reply.redirect('/account/passkeys', 303);
  });
}
