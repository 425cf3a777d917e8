import { categories, type Locale } from '../../db/schema.js';
import type { Db } from '../../db/client.js';
import { categoryLabel } from './categories.js';

export type Labelled = { labelJa: string; labelEn: string; code?: string };

/**
 * Names a category in the viewer's language, from its code (cap, budget and duplicate warnings
 * store codes) or from a row that carries both labels. Codes are read once, on first use.
 * An unknown code (one that no longer exists) is shown as is rather than hidden.
 */
export function categoryNamer(db: Db, locale: Locale): (category: string | Labelled | null | undefined) => string {
  const pick = (c: Labelled) => categoryLabel(c, locale);
  let names: Map<string, string> | null = null;
  return (category) => {
    if (!category) return '';
    if (typeof category !== 'string') return pick(category);
    names ??= new Map(
      db
        .select({ code: categories.code, labelJa: categories.labelJa, labelEn: categories.labelEn })
        .from(categories)
        .all()
        .map((c) => [c.code, pick(c)]),
    );
    return names.get(category) ?? category;
  };
}
