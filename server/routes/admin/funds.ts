import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors.js';
import { createFund, getFund, listFundsForAdmin, makeDefaultFund, setFundActive, updateFund, type Fund } from '../../domain/funds.js';
import { FUND_FORM_FIELDS, fundForm } from '../../forms/admin-funds.js';
import { parseForm, textValue, type FieldErrors } from '../../forms/parse.js';
import { pathId } from '../../forms/params.js';
import { toggleRoutes } from './toggle.js';

const typed = (raw: Record<string, unknown>) => Object.fromEntries(FUND_FORM_FIELDS.map((f) => [f, textValue(raw, f)]));
const stored = (f: Fund) => ({
  name: f.name,
  budget: f.budget === null ? '' : f.budget.toLocaleString('en-US'),
  startsOn: f.startsOn ?? '',
  endsOn: f.endsOn ?? '',
});

/** /admin/funds: name, budget, period, the one default, active or not (SPEC §2), admin flag only. */
export async function adminFundRoutes(app: FastifyInstance): Promise<void> {
  const renderForm = (request: FastifyRequest, reply: FastifyReply, fund: Fund | null, values: Record<string, string>, errors: FieldErrors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/funds/form.eta', {
      title: fund ? request.t('funds.editTitle', { name: fund.name }) : request.t('funds.newTitle'),
      fund,
      values,
      errors,
    });

  app.get('/admin/funds', async (request, reply) => reply.view('admin/funds/index.eta', { title: request.t('funds.title'), funds: listFundsForAdmin(app.db) }));

  app.get('/admin/funds/new', async (request, reply) => renderForm(request, reply, null, {}, {}));

  app.post('/admin/funds', async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(fundForm, raw);
    if (!form.ok) return renderForm(request, reply, null, typed(raw), form.errors);
    try {
      createFund(app.db, request.actor!, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderForm(request, reply, null, typed(raw), error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'funds.created');
    return reply.redirect('/admin/funds', 303);
  });

  app.get('/admin/funds/:id/edit', async (request, reply) => {
    const fund = getFund(app.db, pathId(request));
    return renderForm(request, reply, fund, stored(fund), {});
  });

  app.post('/admin/funds/:id', async (request, reply) => {
    const fund = getFund(app.db, pathId(request));
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(fundForm, raw);
    if (!form.ok) return renderForm(request, reply, fund, typed(raw), form.errors);
    try {
      updateFund(app.db, request.actor!, fund.id, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderForm(request, reply, fund, typed(raw), error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'funds.updated');
    return reply.redirect('/admin/funds', 303);
  });

  app.post('/admin/funds/:id/default', async (request, reply) => {
    makeDefaultFund(app.db, request.actor!, pathId(request), app.clock.now());
    reply.flash('success', 'funds.defaultChanged');
    return reply.redirect('/admin/funds', 303);
  });

  toggleRoutes(app, {
    base: '/admin/funds',
    off: 'deactivate',
    setActive: (actor, id, on, now) => setFundActive(app.db, actor, id, on, now),
    flash: { off: 'funds.deactivated', on: 'funds.reactivated' },
    back: () => '/admin/funds',
  });
}
