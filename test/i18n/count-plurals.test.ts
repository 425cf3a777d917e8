import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../db/schema.js';
import { translator } from '../../server/i18n/index.js';

// Messages that count things: English says 1 record / 2 records (plural.test.ts checks every language's categories).
const en = translator('en');

describe('counted messages', () => {
  it('English uses one and other', () => {
    expect(en('list.count', { count: 1 })).toBe('1 record');
    expect(en('list.count', { count: 1200 })).toBe('1,200 records');
    expect(en('fundMoney.count', { n: 1 })).toBe('1 record');
    expect(en('bell.missing', { count: 1 })).toBe('1 missing receipt');
    expect(en('bell.missing', { count: 3 })).toBe('3 missing receipts');
    expect(en('rounds.casesCount', { n: 1 })).toBe('1 case');
    expect(en('rounds.casesCount', { n: 2 })).toBe('2 cases');
    expect(en('rounds.headline.person', { people: 1, perUnit: '¥50,000', total: '¥50,000' })).toBe('¥50,000 each to 1 person, ¥50,000 in total');
    expect(en('rounds.headline.household', { households: 1, people: 3, perUnit: '¥50,000', total: '¥50,000' })).toBe(
      '¥50,000 each to 1 household (3 people), ¥50,000 in total',
    );
  });

  it('Japanese and Portuguese read naturally', () => {
    expect(translator('ja')('list.count', { count: 3 })).toBe('3件');
    expect(translator('ja')('rounds.headline.household', { households: 2, people: 5, perUnit: '5万円', total: '10万円' })).toBe(
      '2世帯（5人）に1世帯5万円、総額10万円',
    );
    expect(translator('pt-BR')('rounds.casesCount', { n: 1 })).toBe('1 caso');
    expect(translator('pt-BR')('rounds.casesCount', { n: 1_000_000 })).toBe('1.000.000 de casos');
  });

  for (const locale of LOCALES) {
    it(`${locale}: every count is written out, nothing left as a template`, () => {
      const t = translator(locale);
      for (const n of [0, 1, 2, 5, 21, 1_000_000]) {
        for (const key of [
          'list.count',
          'bell.rejected',
          'bell.missing',
          'bell.pending',
          'bell.secondApproval',
          'rounds.casesCount',
          'rounds.pendingCount',
          'fundMoney.count',
        ]) {
          const text = t(key, { count: n, n });
          expect(text, `${locale} ${key} ${n}`).not.toMatch(/[{}#⟦]/);
          expect(text).toContain(new Intl.NumberFormat(locale === 'ja-x-easy' ? 'ja' : locale).format(n));
        }
      }
    });
  }
});
