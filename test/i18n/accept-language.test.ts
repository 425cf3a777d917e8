import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from '../../server/i18n/accept-language.js';

describe('Accept-Language', () => {
  it('maps regional and legacy tags to our languages', () => {
    expect(localeFromAcceptLanguage('zh-CN')).toBe('zh-Hans');
    expect(localeFromAcceptLanguage('zh-SG')).toBe('zh-Hans');
    expect(localeFromAcceptLanguage('zh')).toBe('zh-Hans');
    expect(localeFromAcceptLanguage('zh-Hans-CN')).toBe('zh-Hans');
    expect(localeFromAcceptLanguage('pt')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('pt-BR')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('pt-PT')).toBe('pt-BR');
    expect(localeFromAcceptLanguage('tl')).toBe('fil');
    expect(localeFromAcceptLanguage('fil-PH')).toBe('fil');
    expect(localeFromAcceptLanguage('vi-VN')).toBe('vi');
    expect(localeFromAcceptLanguage('ne-NP')).toBe('ne');
    expect(localeFromAcceptLanguage('ja-JP')).toBe('ja');
    expect(localeFromAcceptLanguage('en-GB')).toBe('en');
  });

  it('honours q-values, order on ties, and q=0 as a refusal', () => {
    expect(localeFromAcceptLanguage('en;q=0.5, vi;q=0.9')).toBe('vi');
    expect(localeFromAcceptLanguage('vi, en')).toBe('vi');
    expect(localeFromAcceptLanguage('vi;q=0, en;q=0.1')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR, fr;q=0.9, en-US;q=0.8, en;q=0.7')).toBe('en');
    expect(localeFromAcceptLanguage('ne;q=1.000,ja;q=0.999')).toBe('ne');
  });

  it('gives nothing for unknown, traditional Chinese, wildcard or malformed input', () => {
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined();
    expect(localeFromAcceptLanguage('')).toBeUndefined();
    expect(localeFromAcceptLanguage('fr, de')).toBeUndefined();
    expect(localeFromAcceptLanguage('zh-TW, zh-Hant')).toBeUndefined();
    expect(localeFromAcceptLanguage('*')).toBeUndefined();
    expect(localeFromAcceptLanguage('vi;q=abc')).toBeUndefined();
    expect(localeFromAcceptLanguage('vi;q=2')).toBeUndefined();
  });
});
