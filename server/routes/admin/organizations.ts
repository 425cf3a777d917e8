import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors.js';
import {
  addOrganization,
  getOrganization,
  listOrganizations,
  setOrganizationActive,
  updateOrganization,
  type Organization,
} from '../../domain/organizations.js';
import { PREFECTURES, prefectureName } from '../../domain/prefectures.js';
import { organizationCreateForm, organizationUpdateForm } from '../../forms/admin-organizations.js';
import { parseForm, textValue, type FieldErrors } from '../../forms/parse.js';
import { receiptYearsFor, retentionYearsFor } from '../../domain/retention.js';
import { ownerNeedsReason } from '../../domain/identity-policy.js';
import { dataLocale } from '../../i18n/languages.js';
import { pathId } from '../../forms/params.js';
import { toggleRoutes } from './toggle.js';

type Values = Record<string, string>;

const prefectureOptions = (request: FastifyRequest) => [
  { value: '', label: request.t('admin.orgs.prefectureNone') },
  ...PREFECTURES.map((p) => ({ value: p.code, label: p[dataLocale(request.locale)] })),
];

const typed = (values: Record<string, unknown>, names: string[]): Values => Object.fromEntries(names.map((name) => [name, textValue(values, name)]));

function renderNew(request: FastifyRequest, reply: FastifyReply, values: Values, errors: FieldErrors) {
  return reply
    .code(Object.keys(errors).length > 0 ? 422 : 200)
    .view('admin/organizations/new.eta', { title: request.t('admin.orgs.newTitle'), values, errors, prefectures: prefectureOptions(request) });
}

function renderShow(request: FastifyRequest, reply: FastifyReply, org: Organization, values: Values, errors: FieldErrors) {
  return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/organizations/show.eta', {
    title: org.name,
    org,
    values,
    errors,
    prefectures: prefectureOptions(request),
    prefectureName: prefectureName(org.prefecture, request.locale),
    retentionYears: { identityYears: String(retentionYearsFor(request.server.db, org.id)), receiptYears: String(receiptYearsFor(request.server.db, org.id)) },
    ownerNeedsReason: ownerNeedsReason(request.server.db, org.id),
  });
}

/** Organizations (admin flag only): list, create, rename, deactivate / reactivate. The code is fixed. */
export async function adminOrganizationRoutes(app: FastifyInstance): Promise<void> {
  app.get('/admin/organizations', async (request, reply) => {
    const organizations = listOrganizations(app.db).map((o) => ({ ...o, prefectureName: prefectureName(o.prefecture, request.locale) }));
    return reply.view('admin/organizations/index.eta', { title: request.t('admin.orgs.title'), organizations });
  });

  app.get('/admin/organizations/new', async (request, reply) => renderNew(request, reply, { code: '', name: '', prefecture: '' }, {}));

  app.post('/admin/organizations', async (request, reply) => {
    const form = parseForm(organizationCreateForm, request.body);
    const values = typed(form.ok ? (request.body as Record<string, unknown>) : form.values, ['code', 'name', 'prefecture']);
    if (!form.ok) return renderNew(request, reply, values, form.errors);
    let id: number;
    try {
      id = addOrganization(app.db, request.actor!, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderNew(request, reply, values, error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'admin.orgs.created');
    return reply.redirect(`/admin/organizations/${id}`, 303);
  });

  app.get('/admin/organizations/:id', async (request, reply) => {
    const org = getOrganization(app.db, pathId(request));
    return renderShow(request, reply, org, { name: org.name, prefecture: org.prefecture ?? '' }, {});
  });

  app.post('/admin/organizations/:id', async (request, reply) => {
    const org = getOrganization(app.db, pathId(request));
    const form = parseForm(organizationUpdateForm, request.body);
    if (!form.ok) return renderShow(request, reply, org, typed(form.values, ['name', 'prefecture']), form.errors);
    updateOrganization(app.db, request.actor!, org.id, form.data, app.clock.now());
    reply.flash('success', 'admin.orgs.updated');
    return reply.redirect(`/admin/organizations/${org.id}`, 303);
  });

  toggleRoutes(app, {
    base: '/admin/organizations',
    off: 'deactivate',
    setActive: (actor, id, on, now) => setOrganizationActive(app.db, actor, id, on, now),
    flash: { off: 'admin.orgs.deactivated', on: 'admin.orgs.reactivated' },
    back: (id) => `/admin/organizations/${id}`,
  });
}
