import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeCsv } from '../../server/domain/csv-export.js';
import { rowUnmappable, unmappableChars } from '../../server/domain/exports/shift-jis.js';

describe('characters Shift_JIS (CP932) cannot hold', () => {
  it('finds characters outside CP932, each once, and passes everything CP932 has', () => {
    expect(unmappableChars('𠮷野家の𠮷')).toEqual(['𠮷']);
    expect(unmappableChars('支援😀Đ')).toEqual(['😀', 'Đ']);
    // NEC and IBM extensions, half-width kana, full-width forms are all CP932.
    expect(unmappableChars('①㈱髙﨑ﾃｽﾄ～－￥ＡＢＣ')).toEqual([]);
    expect(unmappableChars('plain ASCII, 123')).toEqual([]);
  });

  it('counts a one-way mapping as unmappable, since it would silently change the text', () => {
    // WAVE DASH encodes to the same bytes as FULLWIDTH TILDE and comes back as ～.
    expect(iconv.decode(iconv.encode('〜', 'cp932'), 'cp932')).not.toBe('〜');
    expect(unmappableChars('4月〜3月')).toEqual(['〜']);
    expect(unmappableChars('¥1,000 − 2')).toEqual(['¥', '−']);
  });

  it('says where: the file row (header = 1), the column, the record, the code point', () => {
    expect(rowUnmappable(['団体', '金額'], ['東京', 100], 2, '#10')).toEqual([]);
    expect(rowUnmappable(['団体', '金額'], ['𠮷田会', 5], 3, '#11')).toEqual([{ row: 3, column: '団体', char: '𠮷', codePoint: 'U+20BB7', record: '#11' }]);
  });
});

describe('encodeCsv', () => {
  it('writes large files in batches, the BOM once, every row', () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => [i, `行${i}`]);
    for (const encoding of ['utf8', 'sjis'] as const) {
      const outcome = encodeCsv({ header: ['n', '名'], items: rows, cells: (r) => r }, encoding);
      if (!outcome.ok) throw new Error('expected a file');
      const text = encoding === 'utf8' ? Buffer.from(outcome.body).toString('utf8') : iconv.decode(Buffer.from(outcome.body), 'cp932');
      expect(text.match(/\ufeff/g)?.length ?? 0).toBe(encoding === 'utf8' ? 1 : 0);
      expect(text.split('\r\n')).toHaveLength(12_347);
      expect(outcome.rows).toBe(12_345);
    }
  });

  it('writes CP932 bytes without BOM when every cell maps, with CRLF and neutralized formulas', () => {
    const outcome = encodeCsv({ header: ['区分', '金額'], items: [['=食料', 1200]], cells: (r) => r, footer: () => [['合計', 1200]] }, 'sjis');
    if (!outcome.ok) throw new Error('expected a file');
    expect(outcome.rows).toBe(1);
    expect(Buffer.from(outcome.body).subarray(0, 2)).toEqual(iconv.encode('区', 'cp932'));
    expect(iconv.decode(Buffer.from(outcome.body), 'cp932')).toBe("区分,金額\r\n'=食料,1200\r\n合計,1200\r\n");
  });

  it('refuses the whole file rather than replace a character', () => {
    const rows = [['ok'], ['😀']];
    const outcome = encodeCsv({ header: ['名前'], items: rows, cells: (r) => r, record: (r) => (r === rows[1] ? '#7' : null) }, 'sjis');
    expect(outcome).toEqual({ ok: false, unmappable: [{ row: 3, column: '名前', char: '😀', codePoint: 'U+1F600', record: '#7' }] });
    const utf8 = encodeCsv({ header: ['名前'], items: [['😀']], cells: (r) => r }, 'utf8');
    expect(utf8.ok && Buffer.from(utf8.body).toString('utf8')).toBe('\ufeff名前\r\n😀\r\n');
  });
});
