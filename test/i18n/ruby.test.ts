import { describe, expect, it } from 'vitest';
import { EASY_KANJI, kanjiNeedingRuby } from '../../server/i18n/easy-kanji.js';
import { renderRubyInHtml, rubyProblems, rubyToHtml, stripRuby } from '../../server/i18n/ruby.js';

describe('furigana notation ｜漢字《かんじ》', () => {
  it('is the base alone outside HTML (files, mail, logs)', () => {
    expect(stripRuby('｜支援《しえん》の｜記録《きろく》')).toBe('支援の記録');
  });

  it('becomes <ruby> in HTML body text', () => {
    expect(rubyToHtml('お｜金《かね》')).toBe('お<ruby>金<rt>かね</rt></ruby>');
  });

  it('becomes <ruby> in body text but only the base in attributes, <title> and <option>', () => {
    const page =
      '<html><head><title>｜支援《しえん》</title></head><body><h1 aria-label="｜支援《しえん》">｜支援《しえん》</h1>' +
      '<input placeholder="｜記録《きろく》"><select><option>｜記録《きろく》</option></select><p>｜記録《きろく》</p></body></html>';
    expect(renderRubyInHtml(page)).toBe(
      '<html><head><title>支援</title></head><body><h1 aria-label="支援"><ruby>支援<rt>しえん</rt></ruby></h1>' +
        '<input placeholder="記録"><select><option>記録</option></select><p><ruby>記録<rt>きろく</rt></ruby></p></body></html>',
    );
  });

  it('cannot inject markup: text was escaped before, the reading stays escaped', () => {
    const escaped = '｜&lt;script&gt;《&lt;img&gt;》';
    expect(renderRubyInHtml(`<p>${escaped}</p>`)).toBe('<p><ruby>&lt;script&gt;<rt>&lt;img&gt;</rt></ruby></p>');
    // Raw angle brackets never form a ruby match.
    expect(rubyToHtml('｜<b>《x》')).toBe('｜<b>《x》');
  });

  it('finds unbalanced or empty notation', () => {
    expect(rubyProblems('｜支援《しえん》')).toEqual([]);
    expect(rubyProblems('｜支援《しえん')).toEqual(['unbalanced ruby notation (｜base《reading》)']);
    expect(rubyProblems('支援《しえん》')).toEqual(['unbalanced ruby notation (｜base《reading》)']);
    expect(rubyProblems('｜ 《しえん》')).toEqual(['empty ruby base or reading']);
  });
});

describe('the basic kanji list (小学校1・2年)', () => {
  it('holds the 240 kanji of years 1 and 2', () => {
    expect(EASY_KANJI.size).toBe(240);
    for (const k of '一日本人学校金円話') expect(EASY_KANJI.has(k), k).toBe(true);
    for (const k of '支援受領') expect(EASY_KANJI.has(k), k).toBe(false);
  });

  it('asks furigana only for kanji outside it', () => {
    expect(kanjiNeedingRuby('お金を支援します')).toEqual(['支', '援']);
    expect(kanjiNeedingRuby('お金を｜支援《しえん》します')).toEqual([]);
    expect(kanjiNeedingRuby('ひらがな と カタカナ')).toEqual([]);
  });
});
