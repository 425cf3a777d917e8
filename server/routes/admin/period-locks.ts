import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInTokyo } from '../../domain/dates.js';
import { InvalidInput } from '../../domain/errors.js';
import { createPeriodLock, getPeriodLock, listPeriodLocks, LockOverlap, unlockPeriodLock } from '../../domain/period-locks.js';
import { parseForm, textValue, type FieldErrors } from '../../forms/parse.js';
import { periodLockForm, unlockForm } from '../../forms/period-lock.js';
import { pathId } from '../../forms/params.js';

interface PageState {
  createErrors?: FieldErrors;
  createParams?: Record<string, string | number>;
  values?: Record<string, string>;
  unlock?: { id: number; errors: FieldErrors; reason: string };
}

/** /admin/period-locks: lock a closed period, unlock with a reason (admin flag only). */
export async function adminPeriodLockRoutes(app: FastifyInstance): Promise<void> {
  function render(request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
    return reply.view('admin/period-locks/index.eta', {
      title: request.t('locks.title'),
      locks: listPeriodLocks(app.db, request.actor!),
      errors: state.createErrors ?? {},
      errorParams: state.createParams ?? {},
      values: state.values ?? { startsOn: '', endsOn: '', note: '' },
      unlock: state.unlock ?? null,
    });
  }

  app.get('/admin/period-locks', async (request, reply) => render(request, reply));

  app.post('/admin/period-locks', async (request, reply) => {
    const actor = request.actor!;
    const form = parseForm(periodLockForm, request.body);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const values = { startsOn: textValue(raw, 'startsOn'), endsOn: textValue(raw, 'endsOn'), note: textValue(raw, 'note') };
    if (!form.ok) return render(request, reply.code(422), { createErrors: form.errors, values });
    try {
      createPeriodLock(app.db, actor, form.data, todayInTokyo(app.clock), app.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const createParams: Record<string, string> =
        error instanceof LockOverlap ? { from: error.lock.startsOn, to: error.lock.endsOn, note: error.lock.note } : {};
      return render(request, reply.code(422), { createErrors: error.fieldErrors, createParams, values });
    }
    reply.flash('success', 'locks.flash.created');
    return reply.redirect('/admin/period-locks', 303);
  });

  app.post('/admin/period-locks/:id/unlock', async (request, reply) => {
    const actor = request.actor!;
    const id = pathId(request);
    getPeriodLock(app.db, actor, id);
    const form = parseForm(unlockForm, request.body);
    if (!form.ok) {
      return render(request, reply.code(422), { unlock: { id, errors: form.errors, reason: textValue(form.values, 'reason') } });
    }
    unlockPeriodLock(app.db, actor, id, { reason: form.data.reason }, app.clock.now());
    reply.flash('success', 'locks.flash.unlocked');
    return reply.redirect('/admin/period-locks', 303);
  });
}
