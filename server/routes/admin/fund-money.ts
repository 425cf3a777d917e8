import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MONEY_SOURCES } from '../../domain/enums.js';
import { categoryLabel, listActiveCategories } from '../../domain/categories.js';
import { InvalidInput } from '../../domain/errors.js';
import { fundOverview, recordMoneyIn, setCategoryBudget, setFundTarget } from '../../domain/fund-money.js';
import { listCaps, removeCategoryCap, setCategoryCap } from '../../domain/limits.js';
import { listMoneyInBatches } from '../../domain/money-in-import/batches.js';
import { parseBudgetForm, parseCapForm, parseMoneyInForm, parseTargetForm } from '../../forms/fund-money.js';
import type { FieldErrors } from '../../forms/parse.js';
import { pathId } from '../../forms/params.js';

type Section = 'moneyIn' | 'budget' | 'cap' | 'target';
const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
const strings = (raw: Record<string, unknown>) => Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<string, string>;

/** /admin/funds/:id/money: the treasurer's page of a fund (issue 14 §2–3), admin flag only. */
export async function adminFundMoneyRoutes(app: FastifyInstance): Promise<void> {
  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    section: Section | null = null,
    errors: FieldErrors = {},
    extra: Record<string, unknown> = {},
  ) => {
    const overview = fundOverview(app.db, request.actor!, id);
    return reply.code(section && Object.keys(errors).length > 0 ? 422 : 200).view('admin/fund-money/show.eta', {
      title: request.t('fundMoney.title', { name: overview.fund.name }),
      o: overview,
      caps: listCaps(app.db, id).map((c) => ({ ...c, label: categoryLabel(c, request.locale) })),
      section,
      errors,
      values: section ? strings(body(request)) : {},
      categoryOptions: listActiveCategories(app.db).map((c) => ({ value: c.code, label: categoryLabel(c, request.locale) })),
      importBatches: listMoneyInBatches(app.db, id),
      sourceOptions: MONEY_SOURCES.map((s) => ({ value: s, label: request.t(`fundMoney.source.${s}`) })),
      ...extra,
    });
  };
  const done = (reply: FastifyReply, id: number, message: string) => {
    reply.flash('success', message);
    return reply.redirect(`/admin/funds/${id}/money`, 303);
  };
  /** Run a domain change; its field errors re-render the section. */
  const attempt = (request: FastifyRequest, reply: FastifyReply, id: number, section: Section, change: () => void, message: string) => {
    try {
      change();
    } catch (error) {
      if (error instanceof InvalidInput) return render(request, reply, id, section, error.fieldErrors);
      throw error;
    }
    return done(reply, id, message);
  };

  app.get('/admin/funds/:id/money', async (request, reply) => render(request, reply, pathId(request)));

  app.post('/admin/funds/:id/money-in', async (request, reply) => {
    const id = pathId(request);
    const form = parseMoneyInForm(request.body);
    if (!form.ok) return render(request, reply, id, 'moneyIn', form.errors);
    return attempt(request, reply, id, 'moneyIn', () => recordMoneyIn(app.db, request.actor!, id, [form.data], app.clock.now()), 'fundMoney.recorded');
  });

  app.post('/admin/funds/:id/budgets', async (request, reply) => {
    const id = pathId(request);
    const form = parseBudgetForm(request.body);
    if (!form.ok) return render(request, reply, id, 'budget', form.errors);
    return attempt(
      request,
      reply,
      id,
      'budget',
      () => setCategoryBudget(app.db, request.actor!, id, form.data.categoryCode, form.data.amount, app.clock.now()),
      'fundMoney.budgetSaved',
    );
  });

  app.post('/admin/funds/:id/caps', async (request, reply) => {
    const id = pathId(request);
    const form = parseCapForm(request.body);
    if (!form.ok) return render(request, reply, id, 'cap', form.errors);
    const { categoryCode, amount, periodDays } = form.data;
    return attempt(
      request,
      reply,
      id,
      'cap',
      () =>
        amount === null
          ? removeCategoryCap(app.db, request.actor!, id, categoryCode, app.clock.now())
          : setCategoryCap(app.db, request.actor!, { fundId: id, categoryCode, amount, periodDays: periodDays! }, app.clock.now()),
      'fundMoney.capSaved',
    );
  });

  app.post('/admin/funds/:id/target', async (request, reply) => {
    const id = pathId(request);
    const form = parseTargetForm(request.body);
    if (!form.ok) return render(request, reply, id, 'target', form.errors);
    const { amount, dueOn, isPublic } = form.data;
    return attempt(
      request,
      reply,
      id,
      'target',
      () => setFundTarget(app.db, request.actor!, id, amount === null ? null : { amount, dueOn, isPublic }, app.clock.now()),
      'fundMoney.targetSaved',
    );
  });
}
