import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_KANJI_AMOUNT, yenInKanji } from '../../server/domain/kanji-amount.js';

describe('yenInKanji (受領書 amounts in 大字)', () => {
  it.each([
    [1, '金壱円也'],
    [10, '金壱拾円也'],
    [1_000, '金壱千円也'],
    [10_000, '金壱万円也'],
    [12_000, '金壱万弐千円也'],
    [30_000, '金参万円也'],
    [100_000_000, '金壱億円也'],
    [17_644_244, '金壱千七百六拾四万四千弐百四拾四円也'],
    [100_010_001, '金壱億壱万壱円也'],
    [2_305, '金弐千参百五円也'],
  ])('%i → %s', (amount, words) => {
    expect(yenInKanji(amount)).toBe(words);
  });

  it.each([0, -1, -12_000, 1.5, Number.NaN, MAX_KANJI_AMOUNT + 1])('refuses %s', (amount) => {
    expect(() => yenInKanji(amount)).toThrow(RangeError);
  });

  it('reads back to the same number for any amount', () => {
    const value: Record<string, number> = { 壱: 1, 弐: 2, 参: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
    const small: Record<string, number> = { 拾: 10, 百: 100, 千: 1000 };
    const large: Record<string, number> = { 万: 1e4, 億: 1e8, 兆: 1e12 };
    const parse = (words: string): number => {
      let total = 0,
        group = 0,
        digit = 0;
      for (const ch of words.slice(1, -2)) {
        if (ch in value) digit = value[ch]!;
        else if (ch in small) {
          group += digit * small[ch]!;
          digit = 0;
        } else if (ch in large) {
          total += (group + digit) * large[ch]!;
          group = 0;
          digit = 0;
        } else throw new Error(`unexpected ${ch}`);
      }
      return total + group + digit;
    };
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_999_999_999 }), (n) => parse(yenInKanji(n)) === n));
  });
});
