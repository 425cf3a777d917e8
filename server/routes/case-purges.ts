import type { FastifyInstance } from 'fastify';
import { assertCan } from '../domain/actor.js';
import { findCaseFor } from '../domain/cases.js';
import { InvalidInput } from '../domain/errors.js';
import { createFieldCipher } from '../domain/field-crypto.js';
import { purgeCaseIdentity } from '../domain/retention.js';
import { purgeForm } from '../forms/identity-reveal.js';
import { pathId } from '../forms/params.js';
import { parseForm, textValue } from '../forms/parse.js';

/** A person asks to be forgotten: a coordinator erases the case's identity, with a reason. */
export async function casePurgeRoutes(app: FastifyInstance): Promise<void> {
  const deps = { cipher: createFieldCipher(app.config.dataKey, app.config.previousDataKeys), clock: app.clock };

  app.post('/cases/:id/purge', async (request, reply) => {
    const actor = request.actor!;
    // Scope and permission before the form: not yours is 404, not allowed is 403.
    const record = findCaseFor(app.db, actor, pathId(request));
    assertCan(actor, 'case.purgeIdentity', record);
    const form = parseForm(purgeForm, request.body);
    const render = (errors: Record<string, string>, reason: string) =>
      reply.code(422).view('cases/purge.eta', { title: request.t('purge.title'), record, errors, reason });
    if (!form.ok) return render(form.errors, textValue(form.values, 'purgeReason'));
    try {
      purgeCaseIdentity(app.db, actor, record.id, form.data.purgeReason, deps);
    } catch (error) {
      if (error instanceof InvalidInput) return render(error.fieldErrors, form.data.purgeReason);
      throw error;
    }
    reply.flash('success', 'purge.done');
    return reply.redirect(`/cases/${record.id}`, 303);
  });
}
