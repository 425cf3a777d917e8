// Accept-Language → one of our languages (RFC 9110 §12.5.4: weighted ranges, q=0 means "not this").
import type { Locale } from './languages.js';

/** Primary tags (and a few full tags) that name one of our languages. */
const ALIASES: Record<string, Locale> = {
  ja: 'ja',
  'ja-x-easy': 'ja-x-easy',
  en: 'en',
  vi: 'vi',
  zh: 'zh-Hans',
  'zh-hans': 'zh-Hans',
  'zh-cn': 'zh-Hans',
  'zh-sg': 'zh-Hans',
  pt: 'pt-BR',
  'pt-br': 'pt-BR',
  tl: 'fil',
  fil: 'fil',
  ne: 'ne',
};
// Traditional Chinese readers are not served by 简体中文 as well as by English (the fallback).
const NOT_SIMPLIFIED = /^zh-(hant|tw|hk|mo)\b/;

function match(range: string): Locale | undefined {
  const tag = range.toLowerCase();
  if (NOT_SIMPLIFIED.test(tag)) return undefined;
  if (ALIASES[tag]) return ALIASES[tag];
  const parts = tag.split('-');
  // zh-Hans-CN, pt-BR-x, ja-JP: try the longest known prefix first.
  for (let n = parts.length - 1; n >= 1; n--) {
    const found = ALIASES[parts.slice(0, n).join('-')];
    if (found) return found;
  }
  return undefined;
}

/** The best language for the header, or undefined when none of ours is acceptable. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(',')
    .slice(0, 32)
    .map((item, order) => {
      const [range = '', ...params] = item.trim().split(';');
      let q = 1;
      for (const p of params) {
        const [name, value] = p.trim().split('=');
        if (name?.trim().toLowerCase() === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value?.trim() ?? '') ? Number(value) : 0;
      }
      return { range: range.trim(), q, order };
    })
    .filter((r) => r.q > 0 && r.range !== '' && r.range !== '*')
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranges) {
    const locale = match(r.range);
    if (locale) return locale;
  }
  return undefined;
}
