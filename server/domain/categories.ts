import { asc, count, eq, max } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { categories, disbursementLines, type Locale } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { dataLocale } from '../i18n/languages.js';
import { hasMessage, translator } from '../i18n/index.js';
import { SEEDED_CATEGORIES } from '../../db/reference-data.js';

export type Category = typeof categories.$inferSelect;

export interface CategoryLabels {
  labelJa: string;
  labelEn: string;
  requiresNote: boolean;
}

export interface NewCategory extends CategoryLabels {
  code: string;
}

/** Lower-case letters and underscores, starting with a letter (the database CHECK wants a letter first). */
export const CATEGORY_CODE_PATTERN = /^[a-z][a-z_]{1,31}$/;

const byOrder = [asc(categories.sortOrder), asc(categories.id)];
const auditable = (c: Category) => ({
  code: c.code,
  labelJa: c.labelJa,
  labelEn: c.labelEn,
  sortOrder: c.sortOrder,
  isActive: c.isActive,
  requiresNote: c.requiresNote,
});

/** Categories a new line may use, in the admin's order. */
export function listActiveCategories(tx: Tx): Category[] {
  return tx
    .select()
    .from(categories)
    .where(eq(categories.isActive, true))
    .orderBy(...byOrder)
    .all();
}

/**
 * The category's label in the viewer's language: a seeded category the admin has not renamed has
 * its name in every UI language (catalog `category.name.<code>`); otherwise the admin's Japanese or
 * English label (categories are data, named in two languages).
 */
export function categoryLabel(category: Pick<Category, 'labelJa' | 'labelEn'> & { code?: string }, locale: Locale): string {
  const seeded = category.code === undefined ? undefined : SEEDED_CATEGORIES.find((c) => c.code === category.code);
  const key = `category.name.${category.code}`;
  if (seeded && seeded.labelJa === category.labelJa && seeded.labelEn === category.labelEn && hasMessage(locale, key)) {
    return translator(locale)(key);
  }
  return dataLocale(locale) === 'en' ? category.labelEn : category.labelJa;
}

/** Every category, retired ones too, with how many lines use it (a used one can never be deleted). */
export function listCategoriesForAdmin(tx: Tx) {
  const used = new Map(
    tx
      .select({ categoryId: disbursementLines.categoryId, n: count() })
      .from(disbursementLines)
      .groupBy(disbursementLines.categoryId)
      .all()
      .map((r) => [r.categoryId, r.n]),
  );
  return tx
    .select()
    .from(categories)
    .orderBy(...byOrder)
    .all()
    .map((c) => ({ ...c, lineCount: used.get(c.id) ?? 0 }));
}

export function getCategory(tx: Tx, id: number): Category {
  const row = tx.select().from(categories).where(eq(categories.id, id)).get();
  if (!row) throw new NotFound();
  return row;
}

function audit(tx: Tx, actor: Actor, action: string, id: number, now: Date, before: Category | null, after: Category | null) {
  recordAudit(tx, {
    action,
    actorUserId: actor.userId,
    entityType: 'category',
    entityId: id,
    at: now,
    before: before && auditable(before),
    after: after && auditable(after),
  });
}

export function addCategory(db: Db, actor: Actor, input: NewCategory, now: Date): number {
  assertCan(actor, 'admin.manage');
  if (!CATEGORY_CODE_PATTERN.test(input.code)) throw new InvalidInput({ code: 'categories.code.format' });
  return writeTransaction(db, (tx) => {
    if (tx.select({ id: categories.id }).from(categories).where(eq(categories.code, input.code)).get()) {
      throw new InvalidInput({ code: 'categories.code.taken' });
    }
    const last =
      tx
        .select({ max: max(categories.sortOrder) })
        .from(categories)
        .get()?.max ?? 0;
    const row = tx
      .insert(categories)
      .values({ ...input, sortOrder: last + 10, isActive: true })
      .returning()
      .get();
    audit(tx, actor, 'category.created', row.id, now, null, row);
    return row.id;
  });
}

/** New labels; the code stays, since reports and exports name categories by it. */
export function relabelCategory(db: Db, actor: Actor, id: number, labels: CategoryLabels, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getCategory(tx, id);
    if (before.labelJa === labels.labelJa && before.labelEn === labels.labelEn && before.requiresNote === labels.requiresNote) return;
    const after = tx.update(categories).set(labels).where(eq(categories.id, id)).returning().get();
    audit(tx, actor, 'category.relabeled', id, now, before, after);
  });
}

/** Swap a category with its neighbour; positions are renumbered 10, 20, … so equal orders cannot stall a move. */
export function moveCategory(db: Db, actor: Actor, id: number, direction: 'up' | 'down', now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const all = tx
      .select()
      .from(categories)
      .orderBy(...byOrder)
      .all();
    const index = all.findIndex((c) => c.id === id);
    if (index < 0) throw new NotFound();
    const target = direction === 'up' ? index - 1 : index + 1;
    if (target < 0 || target >= all.length) return;
    const before = all[index]!;
    [all[index], all[target]] = [all[target]!, all[index]!];
    all.forEach((c, i) => {
      if (c.sortOrder !== (i + 1) * 10)
        tx.update(categories)
          .set({ sortOrder: (i + 1) * 10 })
          .where(eq(categories.id, c.id))
          .run();
    });
    audit(tx, actor, 'category.reordered', id, now, before, getCategory(tx, id));
  });
}

/** Retire (no new lines; old lines still count) or bring back into use. */
export function setCategoryActive(db: Db, actor: Actor, id: number, isActive: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getCategory(tx, id);
    if (before.isActive === isActive) return;
    const after = tx.update(categories).set({ isActive }).where(eq(categories.id, id)).returning().get();
    audit(tx, actor, isActive ? 'category.reactivated' : 'category.retired', id, now, before, after);
  });
}

/** Only a category no line has ever used; the trigger categories_used_never_deleted backs this. */
export function deleteCategory(db: Db, actor: Actor, id: number, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getCategory(tx, id);
    const used = tx.select({ id: disbursementLines.id }).from(disbursementLines).where(eq(disbursementLines.categoryId, id)).limit(1).get();
    if (used) throw new Conflict('categories.inUse');
    tx.delete(categories).where(eq(categories.id, id)).run();
    audit(tx, actor, 'category.deleted', id, now, before, null);
  });
}
