import { describe, expect, it } from 'vitest';
import { en } from '../../server/i18n/en.js';
import { ja } from '../../server/i18n/ja.js';
import { translator } from '../../server/i18n/index.js';
import { shapeOf } from '../../server/i18n/message-shape.js';

// ICU arguments ({name}, {n, plural, …}, {n, number}) by name, as i18n:check compares them.
const placeholders = (text: string) => {
  const shape = shapeOf(text, 'en');
  return typeof shape === 'string' ? [shape] : shape.args;
};

describe('message catalogs', () => {
  it('have exactly the same keys in Japanese and English', () => {
    const jaKeys = Object.keys(ja).sort();
    const enKeys = Object.keys(en).sort();
    expect(
      jaKeys.filter((k) => !enKeys.includes(k)),
      'in ja, missing from en',
    ).toEqual([]);
    expect(
      enKeys.filter((k) => !jaKeys.includes(k)),
      'in en, missing from ja',
    ).toEqual([]);
    expect(jaKeys.length).toBeGreaterThan(50);
  });

  it('have no empty or blank messages', () => {
    for (const [name, catalog] of [
      ['ja', ja],
      ['en', en],
    ] as const) {
      const blank = Object.entries(catalog)
        .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
        .map(([key]) => key);
      expect(blank, name).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    const mismatched = Object.keys(ja).filter(
      (key) => placeholders((ja as Record<string, string>)[key]!).join() !== placeholders((en as Record<string, string>)[key]!).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('fill placeholders; an unknown key is visible in tests and itself in production', () => {
    expect(translator('ja')('errors.requestId', { id: 'ab12cd34' })).toBe('問い合わせ番号: ab12cd34');
    expect(translator('en')('no.such.key')).toBe('⟦no.such.key⟧');
    expect(translator('en', { missing: 'fallback' })('no.such.key')).toBe('no.such.key');
  });
});
