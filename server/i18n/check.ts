// i18n:check — every language against the Japanese source (and English, where plurals live).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readAreas, readMeta, type Messages } from './catalog-files.js';
import { kanjiNeedingRuby } from './easy-kanji.js';
import { pluralCategories, shapeOf, type Shape } from './message-shape.js';
import { hasRuby, rubyProblems } from './ruby.js';

export interface Problem {
  lang: string;
  key: string;
  message: string;
}
export interface LanguageReport {
  lang: string;
  name: string;
  reviewed: boolean;
  translated: number;
  total: number;
  percent: number;
}

const intlOf = (lang: string) => (lang === 'ja-x-easy' ? 'ja' : lang);
const same = (a: string[], b: string[]) => a.join('\u0000') === b.join('\u0000');

/** Problems in one message against its sources (ja always; en when it exists and has plurals). */
export function checkMessage(lang: string, key: string, text: string, ja: string | undefined, en: string | undefined): string[] {
  const problems: string[] = [];
  if (typeof text !== 'string' || text.trim() === '') return ['empty message'];
  if (ja === undefined) return ['extra key (not in ja)'];
  const shape = shapeOf(text, intlOf(lang));
  if (typeof shape === 'string') return [`ICU parse error: ${shape}`];
  const source = shapeOf(ja, 'ja') as Shape;
  const english = en === undefined ? undefined : shapeOf(en, 'en');
  if (!same(shape.args, source.args)) problems.push(`placeholders {${shape.args.join('}, {')}} differ from ja {${source.args.join('}, {')}}`);
  if (!same(shape.tags, source.tags)) problems.push(`markup ${shape.tags.join(' ') || '(none)'} differs from ja ${source.tags.join(' ') || '(none)'}`);
  const categories = pluralCategories(intlOf(lang));
  for (const [arg, options] of Object.entries(shape.plurals)) {
    const named = options.filter((o) => !o.startsWith('='));
    if (!named.includes('other')) problems.push(`plural {${arg}} lacks "other"`);
    const unknown = named.filter((o) => !categories.includes(o));
    if (unknown.length) problems.push(`plural {${arg}} uses ${unknown.join(', ')}, not a category of ${lang} (${categories.join(', ')})`);
    const absent = categories.filter((c) => !named.includes(c));
    if (absent.length) problems.push(`plural {${arg}} lacks ${absent.join(', ')} for ${lang}`);
  }
  // A sentence counted in English must be counted wherever the language has more than one form.
  if (english && typeof english !== 'string' && categories.length > 1) {
    for (const arg of Object.keys(english.plurals)) if (!shape.plurals[arg]) problems.push(`plural {${arg}} in en is not plural here`);
  }
  if (lang === 'ja-x-easy') {
    problems.push(...rubyProblems(text));
    const bare = kanjiNeedingRuby(text);
    if (bare.length) problems.push(`kanji without furigana: ${bare.join('')}`);
  } else if (hasRuby(text)) problems.push('ruby notation is for ja-x-easy only');
  return problems;
}

/** Check every language folder under `dir` against `dir/ja`. */
export function checkCatalogs(dir: string): { problems: Problem[]; reports: LanguageReport[] } {
  const problems: Problem[] = [];
  const reports: LanguageReport[] = [];
  const langs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const jaAreas = readAreas(path.join(dir, 'ja'));
  const areaOf = new Map<string, string>();
  for (const [area, messages] of jaAreas) for (const key of Object.keys(messages)) areaOf.set(key, area);
  const ja: Messages = Object.assign({}, ...jaAreas.values());
  const en: Messages = Object.assign({}, ...readAreas(path.join(dir, 'en')).values());
  const total = Object.keys(ja).length;
  for (const lang of langs) {
    const langDir = path.join(dir, lang);
    let name = lang;
    let reviewed = false;
    if (!existsSync(path.join(langDir, '_meta.json'))) problems.push({ lang, key: '_meta.json', message: 'missing' });
    else {
      const meta = readMeta(langDir);
      name = meta.name;
      reviewed = meta.reviewed;
      if (typeof meta.name !== 'string' || !meta.name.trim()) problems.push({ lang, key: '_meta.json', message: 'name is empty' });
      if (typeof meta.reviewed !== 'boolean') problems.push({ lang, key: '_meta.json', message: 'reviewed must be true or false' });
      if (meta.dir !== 'ltr' && meta.dir !== 'rtl') problems.push({ lang, key: '_meta.json', message: 'dir must be ltr or rtl' });
    }
    const seen = new Set<string>();
    for (const [area, messages] of readAreas(langDir)) {
      for (const [key, text] of Object.entries(messages)) {
        seen.add(key);
        if (areaOf.has(key) && areaOf.get(key) !== area) problems.push({ lang, key, message: `belongs in ${areaOf.get(key)}.json, found in ${area}.json` });
        for (const message of checkMessage(lang, key, text, ja[key], lang === 'en' || lang === 'ja' ? undefined : en[key]))
          problems.push({ lang, key, message });
      }
    }
    const missing = Object.keys(ja).filter((k) => !seen.has(k));
    for (const key of missing) problems.push({ lang, key, message: 'missing' });
    const translated = total - missing.length;
    reports.push({ lang, name, reviewed, translated, total, percent: total ? Math.floor((translated / total) * 1000) / 10 : 0 });
  }
  return { problems, reports };
}
