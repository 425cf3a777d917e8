import type { FastifyInstance } from 'fastify';
import { getOrganization } from '../domain/organizations.js';
import { setRetentionYears } from '../domain/retention.js';
import { retentionForm } from '../forms/identity-reveal.js';
import { parseForm, textValue } from '../forms/parse.js';
import { idParam, requireAdmin } from './admin/index.js';

/** How long an organization's closed cases keep identity (admin flag). */
export async function retentionAdminRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireAdmin);

  app.post('/admin/organizations/:id/retention', async (request, reply) => {
    const org = getOrganization(app.db, idParam(request));
    const form = parseForm(retentionForm, request.body);
    if (!form.ok) {
      return reply.code(422).view('admin/organizations/retention.eta', { title: request.t('retention.title'), orgId: org.id, value: textValue(form.values, 'identityYears'), errors: form.errors });
    }
    setRetentionYears(app.db, request.actor!, org.id, form.data.identityYears, app.clock.now());
    reply.flash('success', 'retention.saved');
    return reply.redirect(`/admin/organizations/${org.id}`, 303);
  });
}
