import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { METHODS } from '../domain/enums.js';
import { assertCan } from '../domain/actor.js';
import { listActiveCategories, categoryLabel } from '../domain/categories.js';
import { todayInTokyo } from '../domain/dates.js';
import { Conflict, Forbidden, InvalidInput } from '../domain/errors.js';
import { listActiveFunds } from '../domain/funds.js';
import { newFormKey } from '../domain/idempotency.js';
import {
  applyToRound,
  decideApplication,
  findApplicationFor,
  listApplicableCases,
  listApplications,
  mayDecideApplication,
} from '../domain/round-applications.js';
import {
  createRound,
  entryAmount,
  getRound,
  listRounds,
  roundHeadline,
  roundProgressByGroup,
  roundSummary,
  ROUND_UNITS,
  setRoundOpen,
  type Round,
} from '../domain/rounds.js';
import { parseApplicationForm, parseDecisionForm, parseRoundForm, ROUND_FORM_FIELDS, type ApplicationFormValues } from '../forms/rounds.js';
import { textValue } from '../forms/parse.js';
import { matchesForCases } from '../domain/person-matches.js';
import { pathId } from '../forms/params.js';

type Errors = Record<string, string>;

/** Grant rounds (issue 14 §1): admin opens and closes, groups apply, coordinators decide. */
export async function roundRoutes(app: FastifyInstance): Promise<void> {
  const today = () => todayInTokyo(app.clock);

  const renderNew = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Errors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('rounds/new.eta', {
      title: request.t('rounds.newTitle'),
      values,
      errors,
      fundOptions: listActiveFunds(app.db).map((f) => ({ value: String(f.id), label: f.name })),
      categoryOptions: listActiveCategories(app.db).map((c) => ({ value: c.code, label: categoryLabel(c, request.locale) })),
      unitOptions: ROUND_UNITS.map((u) => ({ value: u, label: request.t(`rounds.unit.${u}`) })),
    });

  app.get('/rounds', async (request, reply) =>
    reply.view('rounds/index.eta', { title: request.t('rounds.title'), rounds: listRounds(app.db, request.actor!) }),
  );

  app.get('/rounds/new', async (request, reply) => {
    assertCan(request.actor!, 'admin.manage');
    return renderNew(request, reply, { unit: 'person', startsOn: today(), endsOn: today() }, {});
  });

  app.post('/rounds', async (request, reply) => {
    assertCan(request.actor!, 'admin.manage');
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const typed = Object.fromEntries(ROUND_FORM_FIELDS.map((f) => [f, textValue(raw, f)]));
    const form = parseRoundForm(raw);
    if (!form.ok) return renderNew(request, reply, typed, form.errors);
    let id: number;
    try {
      id = createRound(app.db, request.actor!, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderNew(request, reply, typed, error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'rounds.created');
    return reply.redirect(`/rounds/${id}`, 303);
  });

  app.get('/rounds/:id', async (request, reply) => {
    const actor = request.actor!;
    const round = getRound(app.db, pathId(request));
    const summary = roundSummary(app.db, actor, round);
    return reply.view('rounds/show.eta', {
      title: round.name,
      round,
      summary,
      headline: roundHeadline(round, summary),
      num: (n: number) => n.toLocaleString('en-US'),
      groups: roundProgressByGroup(app.db, actor, round.id),
      applications: listApplications(app.db, actor, round.id),
      canApply: actor.role === 'supporter' && round.isOpen,
      isAdmin: actor.role === 'coordinator' && actor.isAdmin,
      reportLink: `/reports?preset=custom&from=${round.startsOn}&to=${round.endsOn}&fund=${round.fundId}&round=${round.id}`,
    });
  });

  for (const [path, isOpen] of [
    ['open', true],
    ['close', false],
  ] as const) {
    app.post(`/rounds/:id/${path}`, async (request, reply) => {
      const id = pathId(request);
      setRoundOpen(app.db, request.actor!, id, isOpen, app.clock.now());
      reply.flash('success', isOpen ? 'rounds.opened' : 'rounds.closed');
      return reply.redirect(`/rounds/${id}`, 303);
    });
  }

  const renderApply = (request: FastifyRequest, reply: FastifyReply, round: Round, values: ApplicationFormValues, errors: Errors, status = 200) => {
    const cases = listApplicableCases(app.db, request.actor!, round.id).map((c) => {
      const row = values.rows.get(c.id);
      const people = row?.people ?? String(c.householdSize);
      const n = /^[0-9]{1,2}$/.test(people) ? Number(people) : 0;
      return { ...c, checked: row?.checked ?? false, people, amount: n > 0 ? entryAmount(round, n) : 0 };
    });
    const chosen = cases.filter((c) => c.checked);
    return reply.code(status).view('rounds/apply.eta', {
      title: request.t('rounds.applyTitle', { name: round.name }),
      round,
      values,
      errors,
      cases,
      running: { cases: chosen.length, people: chosen.reduce((s, c) => s + (Number(c.people) || 0), 0), total: chosen.reduce((s, c) => s + c.amount, 0) },
      methodOptions: METHODS.map((m) => ({ value: m, label: request.t(`methods.${m}`) })),
    });
  };

  const roundForApplying = (request: FastifyRequest): Round => {
    if (request.actor!.role !== 'supporter') throw new Forbidden();
    const round = getRound(app.db, pathId(request));
    if (!round.isOpen) throw new Conflict('rounds.closedForApplications');
    return round;
  };

  app.get('/rounds/:id/apply', async (request, reply) => {
    const round = roundForApplying(request);
    const paidOn = today() < round.endsOn ? today() : round.endsOn;
    return renderApply(request, reply, round, { paidOn, method: 'bank_transfer', idempotencyKey: newFormKey(), rows: new Map() }, {});
  });

  app.post('/rounds/:id/apply', async (request, reply) => {
    const round = roundForApplying(request);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const form = parseApplicationForm(raw, today());
    // "Recalculate" re-renders the running total without JavaScript and saves nothing.
    if (textValue(raw, 'preview') !== '') return renderApply(request, reply, round, form.values, {});
    if (!form.ok) return renderApply(request, reply, round, form.values, form.errors, 422);
    let result: { location: string; replayed: boolean };
    try {
      result = applyToRound(app.db, request.actor!, round.id, form.data, app.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      // The domain names entries by their place among the ticked rows; the form by the row index.
      const errors = Object.fromEntries(
        Object.entries(error.fieldErrors).map(([k, v]) => [k.replace(/^entries\[(\d+)\]/, (_m, i: string) => `entries[${form.rowIndex[Number(i)] ?? i}]`), v]),
      );
      return renderApply(request, reply, round, form.values, errors, 422);
    }
    if (!result.replayed) reply.flash('success', 'rounds.submitted');
    return reply.redirect(result.location, 303);
  });

  const renderApplication = (request: FastifyRequest, reply: FastifyReply, id: number, errors: Errors, status = 200) => {
    const actor = request.actor!;
    const detail = findApplicationFor(app.db, actor, id);
    return reply.code(status).view('rounds/application.eta', {
      title: request.t('rounds.applicationTitle', { id }),
      detail,
      errors,
      canDecide: mayDecideApplication(actor, detail),
      matches: matchesForCases(
        app.db,
        actor,
        detail.entries.map((e) => e.caseId),
      ),
    });
  };

  app.get('/round-applications/:id', async (request, reply) => renderApplication(request, reply, pathId(request), {}));

  app.post('/round-applications/:id/decide', async (request, reply) => {
    const id = pathId(request);
    const actor = request.actor!;
    // Visible first (404), then allowed (403), then the form (422).
    findApplicationFor(app.db, actor, id);
    assertCan(actor, 'disbursement.approve');
    const form = parseDecisionForm(request.body);
    if (!form.ok) return renderApplication(request, reply, id, form.errors, 422);
    try {
      decideApplication(app.db, actor, id, { decisions: form.decisions, reason: form.reason }, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderApplication(request, reply, id, error.fieldErrors, 422);
      throw error;
    }
    reply.flash('success', 'rounds.decided');
    return reply.redirect(`/round-applications/${id}`, 303);
  });
}
