import type { FastifyInstance } from 'fastify';
import { getOrganization } from '../domain/organizations.js';
import { setOwnerNeedsReason } from '../domain/identity-policy.js';
import { setRetentionYears } from '../domain/retention.js';
import { retentionForm } from '../forms/identity-reveal.js';
import { parseForm, textValue } from '../forms/parse.js';
import { pathId } from '../forms/params.js';

/** Per organization (admin flag): how long closed cases keep identity, and who must give a reason to see it. */
export async function retentionAdminRoutes(app: FastifyInstance): Promise<void> {
  app.post('/admin/organizations/:id/retention', async (request, reply) => {
    const org = getOrganization(app.db, pathId(request));
    const form = parseForm(retentionForm, request.body);
    if (!form.ok) {
      const values = { identityYears: textValue(form.values, 'identityYears'), receiptYears: textValue(form.values, 'receiptYears') };
      return reply.code(422).view('admin/organizations/retention.eta', { title: request.t('retention.title'), orgId: org.id, values, errors: form.errors });
    }
    setRetentionYears(app.db, request.actor!, org.id, form.data, app.clock.now());
    reply.flash('success', 'retention.saved');
    return reply.redirect(`/admin/organizations/${org.id}`, 303);
  });

  // A checkbox: present means on, absent means off (so an empty form is a valid "off").
  app.post('/admin/organizations/:id/reveal-policy', async (request, reply) => {
    const org = getOrganization(app.db, pathId(request));
    const on = textValue((request.body ?? {}) as Record<string, unknown>, 'ownerNeedsReason') === '1';
    setOwnerNeedsReason(app.db, request.actor!, org.id, on, app.clock.now());
    reply.flash('success', 'revealPolicy.saved');
    return reply.redirect(`/admin/organizations/${org.id}`, 303);
  });
}
