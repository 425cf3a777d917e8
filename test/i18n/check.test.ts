import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCatalogs } from '../../server/i18n/check.js';

const meta = (name: string, reviewed = false) => ({ name, reviewed, reviewedBy: null, reviewedOn: null, dir: 'ltr' });
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A locales folder: { lang: { area: messages } }. */
function fixture(langs: Record<string, Record<string, Record<string, string>>>, metas: Record<string, object> = {}): string {
  dir = mkdtempSync(path.join(tmpdir(), 'i18n-check-'));
  for (const [lang, areas] of Object.entries(langs)) {
    mkdirSync(path.join(dir, lang));
    writeFileSync(path.join(dir, lang, '_meta.json'), JSON.stringify(metas[lang] ?? meta(lang, lang === 'ja' || lang === 'en')));
    for (const [area, messages] of Object.entries(areas)) writeFileSync(path.join(dir, lang, `${area}.json`), JSON.stringify(messages));
  }
  return dir;
}

const ja = { common: { 'a.hello': 'こんにちは、{name}さん', 'a.people': '{people, number}人', 'a.bold': '<b>注意</b>' } };
const en = { common: { 'a.hello': 'Hello, {name}', 'a.people': '{people, plural, one {# person} other {# people}}', 'a.bold': '<b>Note</b>' } };
const messagesOf = (d: string, lang: string) =>
  checkCatalogs(d)
    .problems.filter((p) => p.lang === lang)
    .map((p) => `${p.key}: ${p.message}`);

describe('i18n:check', () => {
  it('passes complete, consistent catalogs and reports 100 %', () => {
    const d = fixture({ ja, en, vi: { common: { 'a.hello': 'Xin chào {name}', 'a.people': '{people} người', 'a.bold': '<b>Chú ý</b>' } } });
    const { problems, reports } = checkCatalogs(d);
    expect(problems).toEqual([]);
    expect(reports.find((r) => r.lang === 'vi')).toMatchObject({ percent: 100, reviewed: false, name: 'vi' });
  });

  it('finds missing and extra keys, and reports completeness', () => {
    const d = fixture({ ja, en, vi: { common: { 'a.hello': 'Xin chào {name}', 'a.nope': 'x' } } });
    expect(messagesOf(d, 'vi')).toEqual(['a.nope: extra key (not in ja)', 'a.people: missing', 'a.bold: missing']);
    expect(checkCatalogs(d).reports.find((r) => r.lang === 'vi')!.percent).toBe(33.3);
  });

  it('finds placeholder, markup, ICU and empty-message problems', () => {
    const d = fixture({
      ja,
      en,
      vi: { common: { 'a.hello': 'Xin chào {ten}', 'a.people': '{people người', 'a.bold': 'Chú ý' } },
      fil: { common: { 'a.hello': ' ', 'a.people': '{people, plural, one {# tao} other {# tao}}', 'a.bold': '<i>Paalala</i>' } },
    });
    const vi = messagesOf(d, 'vi');
    expect(vi[0]).toMatch(/^a\.hello: placeholders \{ten\} differ from ja \{name\}/);
    expect(vi[1]).toMatch(/^a\.people: ICU parse error/);
    expect(vi[2]).toMatch(/^a\.bold: markup \(none\) differs from ja <\/b <b$/);
    expect(messagesOf(d, 'fil')).toEqual(['a.hello: empty message', 'a.bold: markup </i <i differs from ja </b <b']);
  });

  it('requires plurals where the language has several forms, with its own categories', () => {
    const d = fixture({
      ja,
      en,
      'pt-BR': { common: { 'a.hello': 'Olá {name}', 'a.people': '{people} pessoas', 'a.bold': '<b>Nota</b>' } },
      ne: { common: { 'a.hello': 'नमस्ते {name}', 'a.people': '{people, plural, one {# जना} few {# जना} other {# जना}}', 'a.bold': '<b>ध्यान</b>' } },
    });
    expect(messagesOf(d, 'pt-BR')).toEqual(['a.people: plural {people} in en is not plural here']);
    expect(messagesOf(d, 'ne')).toEqual(['a.people: plural {people} uses few, not a category of ne (one, other)']);
  });

  it('allows ruby only in ja-x-easy, checks it, and wants furigana on kanji beyond year 2', () => {
    const easy = { 'a.hello': '｜名前《なまえ》は{name}さん', 'a.people': '{people, number}人', 'a.bold': '<b>｜注意《ちゅうい》</b>' };
    const good = fixture({ ja, en, 'ja-x-easy': { common: easy } });
    expect(messagesOf(good, 'ja-x-easy')).toEqual([]);
    rmSync(good, { recursive: true });
    const bad = fixture({
      ja,
      en: { common: { ...en.common, 'a.hello': '｜Hi《hai》 {name}' } },
      'ja-x-easy': { common: { ...easy, 'a.hello': '住所は{name}さん', 'a.bold': '<b>｜注意《》</b>' } },
    });
    expect(messagesOf(bad, 'en')).toEqual(['a.hello: ruby notation is for ja-x-easy only']);
    expect(messagesOf(bad, 'ja-x-easy')).toEqual([
      'a.hello: kanji without furigana: 住所',
      'a.bold: unbalanced ruby notation (｜base《reading》)',
      'a.bold: kanji without furigana: 注意',
    ]);
  });

  it('wants each key in the same area file as ja, and a valid _meta.json', () => {
    const d = fixture({ ja, en, vi: { other: { 'a.hello': 'Xin chào {name}' } } }, { vi: { name: '', reviewed: 'no', dir: 'up' } });
    expect(messagesOf(d, 'vi').slice(0, 4)).toEqual([
      '_meta.json: name is empty',
      '_meta.json: reviewed must be true or false',
      '_meta.json: dir must be ltr or rtl',
      'a.hello: belongs in common.json, found in other.json',
    ]);
  });

  it('the script exits 1 on a problem and 0 when clean', () => {
    const d = fixture({ ja, en });
    expect(execFileSync('npx', ['tsx', 'scripts/i18n-check.ts', '--dir', d], { encoding: 'utf8' })).toContain('all catalogs complete');
    writeFileSync(path.join(d, 'en', 'common.json'), JSON.stringify({ 'a.hello': 'Hello' }));
    expect(() => execFileSync('npx', ['tsx', 'scripts/i18n-check.ts', '--dir', d], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/status 1|Command failed/);
  });
});
