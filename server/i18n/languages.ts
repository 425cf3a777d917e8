// The UI languages: their fallback chains and the two-language choice for reference data.
import { LOCALES, type Locale } from '../../db/schema.js';

export { LOCALES, type Locale };

/** Where a missing message is looked up next: やさしい日本語 → 日本語; every other language → English → 日本語. */
export function fallbackChain(locale: Locale): Locale[] {
  if (locale === 'ja') return ['ja'];
  if (locale === 'ja-x-easy') return ['ja-x-easy', 'ja'];
  if (locale === 'en') return ['en', 'ja'];
  return [locale, 'en', 'ja'];
}

/** Reference data (countries, prefectures, categories) has Japanese and English names only. */
export function dataLocale(locale: Locale): 'ja' | 'en' {
  return locale === 'ja' || locale === 'ja-x-easy' ? 'ja' : 'en';
}

/**
 * The `lang` attribute for HTML. ja-x-easy is valid BCP 47 (private use), but screen readers and
 * fonts key on the primary tag and would not know it, so the page says plain `ja`.
 */
export function htmlLang(locale: Locale): string {
  return locale === 'ja-x-easy' ? 'ja' : locale;
}

/** The Intl locale for numbers, dates and plural rules. */
export function intlLocale(locale: Locale): string {
  return locale === 'ja-x-easy' ? 'ja' : locale;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
