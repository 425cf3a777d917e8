import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_CATEGORY_ACCOUNT, listAccountingSettings, saveAccountingSettings, type AccountingInput } from '../../domain/exports/accounting-map.js';
import { parseAccountingForm, typedAccounts } from '../../forms/admin-accounting.js';
import type { FieldErrors } from '../../forms/parse.js';

/** 管理 → 会計連携: the accounts the freee and MoneyForward exports use (admin flag only). */
export async function adminAccountingRoutes(app: FastifyInstance): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, typed: AccountingInput | null, errors: FieldErrors) => {
    const settings = listAccountingSettings(app.db);
    const values: AccountingInput = typed ?? {
      category: Object.fromEntries(settings.categories.map((c) => [c.code, c.account])),
      method: Object.fromEntries(settings.methods.map((m) => [m.method, m.account])),
      fund: Object.fromEntries(settings.funds.map((f) => [String(f.id), f.account])),
    };
    return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/accounting/index.eta', {
      title: request.t('accounting.title'),
      settings,
      values,
      errors,
      defaultCategoryAccount: DEFAULT_CATEGORY_ACCOUNT,
    });
  };

  app.get('/admin/accounting', async (request, reply) => render(request, reply, null, {}));

  app.post('/admin/accounting', async (request, reply) => {
    const form = parseAccountingForm(request.body);
    if (!form.ok) return render(request, reply, typedAccounts(request.body), form.errors);
    saveAccountingSettings(app.db, request.actor!, form.data, app.clock.now());
    reply.flash('success', 'accounting.saved');
    return reply.redirect('/admin/accounting', 303);
  });
}
