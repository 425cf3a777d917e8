import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { categories, LOCALES } from '../../db/schema.js';
import { SEEDED_CATEGORIES } from '../../db/reference-data.js';
import { categoryNamer } from '../../server/domain/category-names.js';
import { categoryLabel } from '../../server/domain/categories.js';
import { ownCatalogs } from '../../server/i18n/index.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';

describe('category names in every language', () => {
  it('every language names every seeded category, in its own words outside ja/en', () => {
    for (const locale of LOCALES) {
      for (const c of SEEDED_CATEGORIES) expect(ownCatalogs[locale][`category.name.${c.code}`], `${locale} ${c.code}`).toBeTruthy();
    }
    // ja and en say what the seed says, so nothing changes for them.
    for (const c of SEEDED_CATEGORIES) {
      expect(ownCatalogs.ja[`category.name.${c.code}`]).toBe(c.labelJa);
      expect(ownCatalogs.en[`category.name.${c.code}`]).toBe(c.labelEn);
    }
  });

  it('a seeded category the admin has not renamed is named from the catalog; a renamed one by its admin label', () => {
    const db = makeTestDb(makeTestConfig().config);
    const vi = categoryNamer(db, 'vi');
    expect(vi('food')).toBe(ownCatalogs.vi['category.name.food']);
    expect(categoryNamer(db, 'ne')('medical')).toBe(ownCatalogs.ne['category.name.medical']);
    expect(categoryNamer(db, 'ja-x-easy')('tuition')).toBe(ownCatalogs['ja-x-easy']['category.name.tuition']);

    db.update(categories).set({ labelEn: 'Groceries' }).where(eq(categories.code, 'food')).run();
    expect(categoryNamer(db, 'vi')('food')).toBe('Groceries');
    expect(categoryNamer(db, 'ja-x-easy')('food')).toBe('食料・消耗品費');
    expect(categoryNamer(db, 'en')('food')).toBe('Groceries');
    // The other seeded categories keep their translations.
    expect(categoryNamer(db, 'vi')('shelter')).toBe(ownCatalogs.vi['category.name.shelter']);
  });

  it('a category the admin added has its admin labels in every language', () => {
    const row = { code: 'diapers', labelJa: 'おむつ', labelEn: 'Diapers' };
    expect(categoryLabel(row, 'pt-BR')).toBe('Diapers');
    expect(categoryLabel(row, 'ja-x-easy')).toBe('おむつ');
    // A row without its code cannot be matched to the seed: its labels.
    expect(categoryLabel({ labelJa: SEEDED_CATEGORIES[0].labelJa, labelEn: SEEDED_CATEGORIES[0].labelEn }, 'zh-Hans')).toBe(SEEDED_CATEGORIES[0].labelEn);
    expect(categoryLabel({ code: 'shelter', labelJa: SEEDED_CATEGORIES[0].labelJa, labelEn: SEEDED_CATEGORIES[0].labelEn }, 'zh-Hans')).toBe('庇护所与住房');
  });
});
