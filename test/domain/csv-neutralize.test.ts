import { describe, expect, it } from 'vitest';
import { neutralizeCell, toCsv } from '../../server/domain/csv-export.js';

describe('CSV formula neutralizing, full-width too', () => {
  it.each(['＝HYPERLINK("http://x")', '＋1', '－2', '＠SUM(A1)', '﹦1', '﹢1'])('quotes %s', (cell) => {
    expect(neutralizeCell(cell)).toBe(`'${cell}`);
  });

  it('leaves text that only contains those characters later, and numbers, as they are', () => {
    for (const cell of ['家賃＝3万円', 'Ａ＋Ｂ', '領収書＠店舗', '−5 (minus sign, not a formula)']) expect(neutralizeCell(cell)).toBe(cell);
    expect(neutralizeCell(-5)).toBe(-5);
    expect(neutralizeCell('')).toBe('');
  });

  it('writes the quote into the file a spreadsheet opens', () => {
    const text = new TextDecoder().decode(toCsv(['payee'], [['＝cmd|" /C calc"!A0'], ['＠x']]).body);
    expect(text.split('\r\n').slice(1, 3)).toEqual([`"'＝cmd|"" /C calc""!A0"`, `'＠x`]);
  });
});
