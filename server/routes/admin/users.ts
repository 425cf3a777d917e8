import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../domain/enums.js';
import { InvalidInput } from '../../domain/errors.js';
import { addUser, changeUserAccess, getUser, listUsers, organizationChoices, resetUserPassword, setUserActive, type UserSummary } from '../../domain/users.js';
import { userAccessForm, userCreateForm, userPasswordForm } from '../../forms/admin-users.js';
import { parseForm, textValue, type FieldErrors } from '../../forms/parse.js';
import { pathId } from '../../forms/params.js';
import { toggleRoutes } from './toggle.js';

type Values = Record<string, string>;

/** What the browser sent, as text, to put back in the form. Passwords are never echoed. */
const typed = (body: unknown, names: string[]): Values => {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return Object.fromEntries(names.map((name) => [name, textValue(values, name)]));
};

function choices(app: FastifyInstance, request: FastifyRequest, currentOrganizationId?: number) {
  return {
    roles: [{ value: '', label: request.t('admin.choose') }, ...ROLES.map((role) => ({ value: role, label: request.t(`role.${role}`) }))],
    organizations: [
      { value: '', label: request.t('admin.choose') },
      ...organizationChoices(app.db, currentOrganizationId).map((o) => ({
        value: String(o.id),
        label: `${o.code} ${o.name}${o.isActive ? '' : request.t('admin.inactiveSuffix')}`,
      })),
    ],
  };
}

/** Users (admin flag only): list, create with a temporary password, change access, reset, (de)activate. */
export async function adminUserRoutes(app: FastifyInstance): Promise<void> {
  const renderNew = (request: FastifyRequest, reply: FastifyReply, values: Values, errors: FieldErrors) =>
    reply
      .code(Object.keys(errors).length > 0 ? 422 : 200)
      .view('admin/users/new.eta', { title: request.t('admin.users.newTitle'), values, errors, ...choices(app, request) });

  const renderShow = (request: FastifyRequest, reply: FastifyReply, user: UserSummary, values: Values, errors: FieldErrors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/users/show.eta', {
      title: user.displayName,
      user,
      isSelf: user.id === request.actor!.userId,
      values,
      errors,
      ...choices(app, request, user.organizationId),
    });

  const accessOf = (user: UserSummary): Values => ({
    role: user.role,
    organizationId: String(user.organizationId),
    isAdmin: user.isAdmin ? '1' : '',
  });

  app.get('/admin/users', async (request, reply) =>
    reply.view('admin/users/index.eta', { title: request.t('admin.users.title'), users: listUsers(app.db, request.actor!) }),
  );

  app.get('/admin/users/new', async (request, reply) =>
    renderNew(request, reply, { email: '', displayName: '', role: '', organizationId: '', isAdmin: '' }, {}),
  );

  app.post('/admin/users', async (request, reply) => {
    const values = typed(request.body, ['email', 'displayName', 'role', 'organizationId', 'isAdmin']);
    const form = parseForm(userCreateForm, request.body);
    if (!form.ok) return renderNew(request, reply, values, form.errors);
    const { password, ...input } = form.data;
    let id: number;
    try {
      id = await addUser(app.db, request.actor!, input, password, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderNew(request, reply, values, error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'admin.users.created');
    return reply.redirect(`/admin/users/${id}`, 303);
  });

  app.get('/admin/users/:id', async (request, reply) => {
    const user = getUser(app.db, request.actor!, pathId(request));
    return renderShow(request, reply, user, accessOf(user), {});
  });

  app.post('/admin/users/:id/role', async (request, reply) => {
    const user = getUser(app.db, request.actor!, pathId(request));
    const values = typed(request.body, ['role', 'organizationId', 'isAdmin']);
    const form = parseForm(userAccessForm, request.body);
    if (!form.ok) return renderShow(request, reply, user, values, form.errors);
    let changed: boolean;
    try {
      changed = changeUserAccess(app.db, request.actor!, user.id, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderShow(request, reply, user, values, error.fieldErrors);
      throw error;
    }
    reply.flash('success', changed ? 'admin.users.accessChanged' : 'admin.users.accessUnchanged');
    return reply.redirect(`/admin/users/${user.id}`, 303);
  });

  app.post('/admin/users/:id/password', async (request, reply) => {
    const user = getUser(app.db, request.actor!, pathId(request));
    const form = parseForm(userPasswordForm, request.body);
    if (!form.ok) return renderShow(request, reply, user, accessOf(user), form.errors);
    try {
      await resetUserPassword(app.db, request.actor!, user.id, form.data.password, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderShow(request, reply, user, accessOf(user), error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'admin.users.passwordReset');
    return reply.redirect(`/admin/users/${user.id}`, 303);
  });

  toggleRoutes(app, {
    base: '/admin/users',
    off: 'deactivate',
    setActive: (actor, id, on, now) => setUserActive(app.db, actor, id, on, now),
    flash: { off: 'admin.users.deactivated', on: 'admin.users.reactivated' },
    back: (id) => `/admin/users/${id}`,
  });
}
