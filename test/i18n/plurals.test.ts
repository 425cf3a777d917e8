import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../db/schema.js';
import { formatMessage, ownCatalogs } from '../../server/i18n/index.js';
import { intlLocale } from '../../server/i18n/languages.js';
import { shapeOf } from '../../server/i18n/message-shape.js';

// The counted sentences: whatever English makes plural. Every language whose catalog exists is
// checked in each of its own plural categories (Intl.PluralRules), so new catalogs are covered as dropped in.
const en = ownCatalogs.en;
const counted = Object.keys(en).filter((key) => {
  const shape = shapeOf(en[key]!, 'en');
  return typeof shape !== 'string' && Object.keys(shape.plurals).length > 0;
});
const present = LOCALES.filter((l) => Object.keys(ownCatalogs[l]).length > 0);

/** A sample number for each plural category of a language (1 → one, 2 → two/other, 5 → few…). */
function samples(locale: string): Map<string, number> {
  const rules = new Intl.PluralRules(locale);
  const found = new Map<string, number>();
  for (let n = 0; n <= 1000 && found.size < rules.resolvedOptions().pluralCategories.length; n++) {
    if (!found.has(rules.select(n))) found.set(rules.select(n), n);
  }
  return found;
}

describe('plural forms of the figures sentences', () => {
  it('exist in English for people and cases', () => {
    expect(counted).toEqual(expect.arrayContaining(['reports.headline', 'reports.copySentence', 'publicFigures.withheld']));
  });

  it('English says 1 person and 2 people', () => {
    const params = (people: number) => ({ period: '2026', amount: '¥12,000', people });
    expect(formatMessage('en', 'reports.headline', en['reports.headline']!, params(1))).toBe('2026: emergency aid of ¥12,000 for 1 person (cumulative)');
    expect(formatMessage('en', 'reports.headline', en['reports.headline']!, params(1200))).toBe('2026: emergency aid of ¥12,000 for 1,200 people (cumulative)');
    expect(formatMessage('ja', 'reports.headline', ownCatalogs.ja['reports.headline']!, params(1200))).toBe('2026、のべ1,200人に対し、¥12,000の緊急支援');
  });

  for (const locale of present) {
    it(`${locale}: every counted sentence reads right in each plural category`, () => {
      for (const key of counted) {
        const text = ownCatalogs[locale][key];
        expect(text, `${locale} ${key}`).toBeDefined();
        const shape = shapeOf(text!, intlLocale(locale));
        expect(typeof shape, `${locale} ${key} parses`).not.toBe('string');
        const args = typeof shape === 'string' ? [] : shape.args;
        const outputs = new Set<string>();
        for (const [category, n] of samples(intlLocale(locale))) {
          const params = Object.fromEntries(args.map((a) => [a, n]));
          const out = formatMessage(locale, key, text!, params);
          expect(out, `${locale} ${key} ${category}`).not.toMatch(/[{}⟦]/);
          expect(out, `${locale} ${key} ${category}`).toContain(new Intl.NumberFormat(intlLocale(locale)).format(n));
          outputs.add(out.replaceAll(new Intl.NumberFormat(intlLocale(locale)).format(n), '#'));
        }
        // English, where the plurals come from, words one and other differently. Other languages
        // name every category (i18n:check) but may say the same: Filipino and Nepali nouns do not
        // change after a numeral (2 tao, २ जना).
        if (locale === 'en') expect(outputs.size, `${locale} ${key}`).toBeGreaterThan(1);
      }
    });
  }
});
