// Translation: ICU MessageFormat messages from the JSON catalogs, with each language's fallback chain.
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { runningTests } from '../config.js';
import { formatDate } from '../domain/date-labels.js';
import { LOCALES_DIR, readMessages, readMeta, type LanguageMeta, type Messages } from './catalog-files.js';
import { fallbackChain, intlLocale, LOCALES, type Locale } from './languages.js';
import type { MessageKey } from './message-keys.js';
import { stripRuby } from './ruby.js';

export type { MessageKey };
export { isLocale, fallbackChain, htmlLang, dataLocale } from './languages.js';
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Each language's own messages, as translated (no fallback). */
export const ownCatalogs = Object.fromEntries(LOCALES.map((l) => [l, readMessages(path.join(LOCALES_DIR, l))])) as Record<Locale, Messages>;
export const languageMeta = Object.fromEntries(LOCALES.map((l) => [l, readMeta(path.join(LOCALES_DIR, l))])) as Record<Locale, LanguageMeta>;
/** Each language with its fallback chain filled in (what the UI shows in production). */
export const catalogs = Object.fromEntries(
  LOCALES.map((l) => [
    l,
    Object.assign(
      {},
      ...fallbackChain(l)
        .reverse()
        .map((c) => ownCatalogs[c]),
    ),
  ]),
) as Record<Locale, Record<MessageKey, string>>;

// Tests must see a missing message, not its fallback: i18n:check is what guarantees completeness.
const strict = runningTests;
let warn: (message: string) => void = (message) => console.warn(message);
const warned = new Set<string>();
/** Where "message missing" warnings go (the app's logger). Only the key and language are logged. */
export function onMissingMessage(logger: (message: string) => void): void {
  warn = logger;
}

function lookup(locale: Locale, key: string, visible: boolean): string | undefined {
  const own = ownCatalogs[locale][key];
  if (own !== undefined) return own;
  const once = `${locale}:${key}`;
  if (!warned.has(once)) {
    warned.add(once);
    warn(`i18n: message ${key} missing in ${locale}`);
  }
  if (visible) return undefined;
  for (const next of fallbackChain(locale).slice(1)) {
    const text = ownCatalogs[next][key];
    if (text !== undefined) return text;
  }
  return undefined;
}

const compiled = new Map<string, IntlMessageFormat | null>();
function compile(locale: Locale, key: string, text: string): IntlMessageFormat | null {
  const id = `${locale}\u0000${key}\u0000${text}`;
  let format = compiled.get(id);
  if (format === undefined) {
    try {
      format = new IntlMessageFormat(text, intlLocale(locale), undefined, { ignoreTag: true });
    } catch {
      format = null; // i18n:check refuses such a message; at run time the text shows as written
    }
    compiled.set(id, format);
  }
  return format;
}

/**
 * Parameters that name a day. Domain errors, import problems and bulk results carry days as
 * YYYY-MM-DD (they cross threads and are stored before anyone knows who reads them); under these
 * names a calendar date is written the reader's way when the message is made.
 */
const DAY_PARAMS: ReadonlySet<string> = new Set(['date', 'from', 'to', 'paidOn', 'day']);

function readerDays(locale: Locale, params: Record<string, string | number>): Record<string, string | number> {
  let out = params;
  for (const name of DAY_PARAMS) {
    const value = params[name];
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) continue;
    const shown = formatDate(value, locale);
    if (shown !== value) out = { ...out, [name]: shown };
  }
  return out;
}

/** Format one message (already looked up) with ICU MessageFormat. */
export function formatMessage(locale: Locale, key: string, text: string, params?: Record<string, string | number>): string {
  if (!/[{}']/.test(text)) return text;
  const format = compile(locale, key, text);
  if (!format) return text;
  try {
    return String(format.format(params ? readerDays(locale, params) : {}));
  } catch {
    // A value not given (a template kept for the browser to fill): the text as written.
    return text;
  }
}

/**
 * A translator for one language. `ruby: true` keeps やさしい日本語's ｜漢字《かんじ》 notation for the
 * HTML finaliser (views); otherwise the base alone is returned (files, mail, PDF, logs).
 * `missing`: tests show a missing message as ⟦key⟧; production falls back along the chain.
 */
export function translator(locale: Locale, options: { ruby?: boolean; missing?: 'visible' | 'fallback' } = {}): Translate {
  const visible = (options.missing ?? (strict ? 'visible' : 'fallback')) === 'visible';
  return (key, params) => {
    const text = lookup(locale, key, visible);
    if (text === undefined) return visible ? `⟦${key}⟧` : key;
    const out = formatMessage(locale, key, text, params);
    return options.ruby ? out : stripRuby(out);
  };
}

export function hasMessage(locale: Locale, key: string): boolean {
  return key in catalogs[locale];
}
