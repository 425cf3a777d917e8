import type { FastifyInstance } from 'fastify';
import { InvalidInput } from '../domain/errors.js';
import { isMailOptedIn } from '../domain/mail-outbox.js';
import { changeOwnPassword, PASSWORD_LOCKED, setOwnLocale } from '../domain/users.js';
import { localeForm, passwordChangeForm } from '../forms/auth.js';
import { parseForm } from '../forms/parse.js';

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const mailState = (userId: number) => ({ isEnabled: app.mail.isEnabled, isOptedIn: isMailOptedIn(app.db, userId) });
  app.get('/account', async (request, reply) => reply.view('account/index.eta', { title: request.t('account.title'), mail: mailState(request.actor!.userId) }));

  app.post('/account/locale', async (request, reply) => {
    const form = parseForm(localeForm, request.body);
    if (!form.ok)
      return reply.code(422).view('account/index.eta', { title: request.t('account.title'), errors: form.errors, mail: mailState(request.actor!.userId) });
    setOwnLocale(app.db, request.actor!, form.data.locale, app.clock.now());
    reply.flash('success', 'account.languageSaved');
    return reply.redirect('/account', 303);
  });

  app.get('/account/password', async (request, reply) =>
    reply.view('account/password.eta', { title: request.t('account.passwordTitle'), errors: {}, mustChange: request.session!.mustChangePassword }),
  );

  app.post('/account/password', async (request, reply) => {
    const render = (errors: Record<string, string>) =>
      reply
        .code(errors.currentPassword === PASSWORD_LOCKED ? 429 : 422)
        .view('account/password.eta', { title: request.t('account.passwordTitle'), errors, mustChange: request.session!.mustChangePassword });
    const form = parseForm(passwordChangeForm, request.body);
    if (!form.ok) return render(form.errors);
    try {
      await changeOwnPassword(app.db, request.actor!, form.data.currentPassword, form.data.newPassword, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return render(error.fieldErrors);
      throw error;
    }
    reply.endSession();
    return reply.redirect('/login?passwordChanged=1', 303);
  });
}
