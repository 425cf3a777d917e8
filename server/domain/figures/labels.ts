import type { Locale } from '../../../db/schema.js';

const names = new Map<Locale, Intl.DisplayNames>();

/** ISO 3166-1 alpha-2 → the country's name in the UI language (ミャンマー / Myanmar); null if unknown. */
export function nationalityName(code: string, locale: Locale): string | null {
  if (!/^[A-Z]{2}$/.test(code)) return null;
  let display = names.get(locale);
  if (!display) {
    display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    names.set(locale, display);
  }
  try {
    return display.of(code) ?? null;
  } catch {
    return null;
  }
}
