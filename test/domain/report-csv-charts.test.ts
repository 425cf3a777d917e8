import { describe, expect, it } from 'vitest';
import { DONUT, donutSegments, monthBars, niceMax } from '../../server/domain/charts.js';
import { neutralizeCell, toCsv } from '../../server/domain/csv-export.js';

const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

describe('CSV for Japanese Excel (SPEC §6)', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const file = toCsv(
      ['区分', '金額'],
      [
        ['食料', 1200],
        ['医療', 3],
      ],
    );
    expect([...file.body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text(file.body)).toBe('\ufeff区分,金額\r\n食料,1200\r\n医療,3\r\n');
    expect(file.rows).toBe(2);
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const file = toCsv(['a'], [['x,y'], ['say "hi"'], ['two\nlines'], ['cr\rinside']]);
    expect(text(file.body)).toBe('\ufeffa\r\n"x,y"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rinside"\r\n');
  });

  it('neutralizes text cells a spreadsheet would read as a formula, not numbers', () => {
    for (const cell of ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutralizeCell(cell)).toBe(`'${cell}`);
    expect(neutralizeCell('シェルター')).toBe('シェルター');
    expect(neutralizeCell('2025-06-01')).toBe('2025-06-01');
    expect(neutralizeCell(-5)).toBe(-5);
    expect(neutralizeCell(null)).toBeNull();
    const file = toCsv(['=cmd'], [['=HYPERLINK("http://x")', 42]]);
    expect(text(file.body)).toBe(`\ufeff'=cmd\r\n"'=HYPERLINK(""http://x"")",42\r\n`);
  });

  it('writes large exports in batches without losing rows', () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => [i, `r${i}`]);
    const file = toCsv(['n', 'label'], rows);
    const lines = text(file.body).split('\r\n');
    expect(file.rows).toBe(12_345);
    expect(lines).toHaveLength(12_347);
    expect(lines[12_345]).toBe('12344,r12344');
  });
});

describe('chart geometry', () => {
  it('draws one ring segment per category that has money, in order', () => {
    const segments = donutSegments([
      { code: 'shelter', amount: 750, share: 75 },
      { code: 'food', amount: 0, share: 0 },
      { code: 'medical', amount: 250, share: 25 },
    ]);
    expect(segments.map((s) => [s.code, s.index])).toEqual([
      ['shelter', 0],
      ['medical', 2],
    ]);
    // 75% starts at 12 o'clock and takes the large arc.
    expect(segments[0]!.path.startsWith(`M120 ${120 - DONUT.outer}A${DONUT.outer} ${DONUT.outer} 0 1 1 `)).toBe(true);
    expect(segments[1]!.path).toContain(' 0 0 1 ');
  });

  it('draws a single 100% category as two half rings (an arc cannot close on itself)', () => {
    const [only] = donutSegments([{ code: 'food', amount: 5, share: 100 }]);
    expect(only!.path.match(/M/g)).toHaveLength(2);
    expect(donutSegments([{ code: 'food', amount: 0, share: 0 }])).toEqual([]);
  });

  it('scales month bars to a nice maximum', () => {
    expect([niceMax(0), niceMax(7), niceMax(120_000), niceMax(17_644_244)]).toEqual([1, 10, 200_000, 20_000_000]);
    const chart = monthBars([
      { month: '2025-01', amount: 100_000 },
      { month: '2025-02', amount: 0 },
      { month: '2025-03', amount: 50_000 },
    ]);
    expect(chart.bars.map((b) => b.height)).toEqual([180, 0, 90]);
    expect(chart.bars[0]!.y).toBe(chart.baseY - 180);
    expect(chart.ticks.at(-1)).toEqual({ y: chart.top, value: 100_000 });
  });
});
