import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fallbackChain, formatMessage, onMissingMessage, ownCatalogs, translator } from '../../server/i18n/index.js';

const warnings: string[] = [];
// These tests need vi and やさしい日本語 empty (whatever translations exist are put back after).
const saved = { vi: { ...ownCatalogs.vi }, easy: { ...ownCatalogs['ja-x-easy'] } };
const empty = (catalog: Record<string, string>) => Object.keys(catalog).forEach((key) => delete catalog[key]);
beforeEach(() => {
  empty(ownCatalogs.vi);
  empty(ownCatalogs['ja-x-easy']);
});
afterEach(() => {
  Object.assign(ownCatalogs.vi, saved.vi);
  Object.assign(ownCatalogs['ja-x-easy'], saved.easy);
});
onMissingMessage((message) => warnings.push(message));

describe('translation with fallback chains', () => {
  it('chains やさしい日本語 to 日本語 and the other languages to English then 日本語', () => {
    expect(fallbackChain('ja-x-easy')).toEqual(['ja-x-easy', 'ja']);
    expect(fallbackChain('vi')).toEqual(['vi', 'en', 'ja']);
    expect(fallbackChain('en')).toEqual(['en', 'ja']);
    expect(fallbackChain('ja')).toEqual(['ja']);
  });

  it('in production falls back along the chain and warns once per key, with no text of the message', () => {
    const t = translator('vi', { missing: 'fallback' });
    warnings.length = 0;
    expect(t('nav.home')).toBe(ownCatalogs.en['nav.home']);
    expect(t('nav.home')).toBe(ownCatalogs.en['nav.home']);
    expect(translator('ja-x-easy', { missing: 'fallback' })('nav.home')).toBe(ownCatalogs.ja['nav.home']);
    expect(warnings.filter((w) => w.includes('nav.home'))).toEqual(['i18n: message nav.home missing in vi', 'i18n: message nav.home missing in ja-x-easy']);
  });

  it('in tests shows a missing message instead of falling back', () => {
    expect(translator('vi')('nav.home')).toBe('⟦nav.home⟧');
    ownCatalogs.vi['nav.home'] = 'Trang chủ';
    expect(translator('vi')('nav.home')).toBe('Trang chủ');
  });

  it('reduces furigana to the base unless asked to keep it (views)', () => {
    ownCatalogs['ja-x-easy']['nav.home'] = '｜最初《さいしょ》のページ';
    expect(translator('ja-x-easy')('nav.home')).toBe('最初のページ');
    expect(translator('ja-x-easy', { ruby: true })('nav.home')).toBe('｜最初《さいしょ》のページ');
  });
});

describe('ICU MessageFormat', () => {
  it('keeps apostrophes and text as written, and fills placeholders', () => {
    expect(formatMessage('en', 'k1', "Don't stop", undefined)).toBe("Don't stop");
    expect(formatMessage('en', 'k2', "It's {name}'s turn", { name: 'A' })).toBe("It's A's turn");
    expect(formatMessage('en', 'k3', 'Record #{id}', { id: 7 })).toBe('Record #7');
    expect(formatMessage('en', 'k4', "Type '{'braces'}' literally", {})).toBe('Type {braces} literally');
  });

  it('leaves a template whose values are not given as written (kept for the browser to fill)', () => {
    expect(formatMessage('ja', 'k5', '{n}件', undefined)).toBe('{n}件');
  });

  it('formats numbers per language and plurals per rule', () => {
    const text = '{n, plural, one {# case} other {# cases}}';
    expect(formatMessage('en', 'k6', text, { n: 1 })).toBe('1 case');
    expect(formatMessage('en', 'k6', text, { n: 12000 })).toBe('12,000 cases');
    expect(formatMessage('ja', 'k7', '{n, number}件', { n: 12000 })).toBe('12,000件');
  });

  it('every message in the ja and en catalogs survives formatting unchanged when it has no placeholders', () => {
    for (const locale of ['ja', 'en'] as const) {
      for (const [key, text] of Object.entries(ownCatalogs[locale])) {
        if (!/[{}]/.test(text)) expect(formatMessage(locale, key, text, {}), key).toBe(text);
      }
    }
  });
});

describe('days in messages', () => {
  it('writes a calendar date under a day parameter the reader’s way, and leaves anything else as given', () => {
    const text = '{from}〜{to} ({value}, {note})';
    expect(formatMessage('ja', 'x', text, { from: '2024-04-01', to: '2025-03-31', value: '2025-04-01', note: 'n' })).toBe(
      '2024年4月1日〜2025年3月31日 (2025-04-01, n)',
    );
    expect(formatMessage('en', 'x', '{date}', { date: '2025-06-15' })).toBe('15 Jun 2025');
    expect(formatMessage('en', 'x', '{date} {paidOn}', { date: '2025-02-30', paidOn: 'yesterday' })).toBe('2025-02-30 yesterday');
  });
});
