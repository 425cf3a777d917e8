import type { Locale } from '../../db/schema.js';
import { ja, type MessageKey } from './ja.js';
import { en } from './en.js';

export type { MessageKey };
export const catalogs: Record<Locale, Record<MessageKey, string>> = { ja, en };
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Look a key up in the locale's catalog; placeholders are `{name}`. Unknown keys show as themselves. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale] as Record<string, string>;
  return (key, params) => {
    const template = catalog[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

export function isLocale(value: unknown): value is Locale {
  return value === 'ja' || value === 'en';
}
