import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addCategory, deleteCategory, getCategory, listCategoriesForAdmin, moveCategory, relabelCategory, setCategoryActive } from '../../domain/categories.js';
import { InvalidInput } from '../../domain/errors.js';
import { categoryLabelsForm, moveCategoryForm, newCategoryForm } from '../../forms/admin-categories.js';
import { parseForm, textValue, type FieldErrors } from '../../forms/parse.js';
import { pathId } from '../../forms/params.js';
import { toggleRoutes } from './toggle.js';

const FIELDS = ['code', 'labelJa', 'labelEn', 'requiresNote'] as const;
const typed = (raw: Record<string, unknown>) => Object.fromEntries(FIELDS.map((f) => [f, textValue(raw, f)]));

/** /admin/categories: add, relabel, reorder, retire and delete (SPEC §2), admin flag only. */
export async function adminCategoryRoutes(app: FastifyInstance): Promise<void> {
  const renderList = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/categories/index.eta', {
      title: request.t('categories.title'),
      categories: listCategoriesForAdmin(app.db),
      values,
      errors,
    });

  const renderEdit = (request: FastifyRequest, reply: FastifyReply, id: number, values: Record<string, string>, errors: FieldErrors) => {
    const category = getCategory(app.db, id);
    return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/categories/edit.eta', {
      title: request.t('categories.editTitle', { code: category.code }),
      category,
      values,
      errors,
    });
  };

  app.get('/admin/categories', async (request, reply) => renderList(request, reply, {}, {}));

  app.post('/admin/categories', async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(newCategoryForm, raw);
    if (!form.ok) return renderList(request, reply, typed(raw), form.errors);
    try {
      addCategory(app.db, request.actor!, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderList(request, reply, typed(raw), error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'categories.created');
    return reply.redirect('/admin/categories', 303);
  });

  app.get('/admin/categories/:id/edit', async (request, reply) => {
    const category = getCategory(app.db, pathId(request));
    const values = { labelJa: category.labelJa, labelEn: category.labelEn, requiresNote: category.requiresNote ? '1' : '' };
    return renderEdit(request, reply, category.id, values, {});
  });

  app.post('/admin/categories/:id', async (request, reply) => {
    const id = getCategory(app.db, pathId(request)).id;
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(categoryLabelsForm, raw);
    if (!form.ok) return renderEdit(request, reply, id, typed(raw), form.errors);
    relabelCategory(app.db, request.actor!, id, form.data, app.clock.now());
    reply.flash('success', 'categories.updated');
    return reply.redirect('/admin/categories', 303);
  });

  app.post('/admin/categories/:id/move', async (request, reply) => {
    const form = parseForm(moveCategoryForm, request.body);
    if (!form.ok) throw new InvalidInput(form.errors);
    moveCategory(app.db, request.actor!, pathId(request), form.data.direction, app.clock.now());
    reply.flash('success', 'categories.moved');
    return reply.redirect('/admin/categories', 303);
  });

  toggleRoutes(app, {
    base: '/admin/categories',
    off: 'retire',
    setActive: (actor, id, on, now) => setCategoryActive(app.db, actor, id, on, now),
    flash: { off: 'categories.retired', on: 'categories.reactivated' },
    back: () => '/admin/categories',
  });

  app.post('/admin/categories/:id/delete', async (request, reply) => {
    deleteCategory(app.db, request.actor!, pathId(request), app.clock.now());
    reply.flash('success', 'categories.deleted');
    return reply.redirect('/admin/categories', 303);
  });
}
