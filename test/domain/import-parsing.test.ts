import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseYen } from '../../server/domain/money.js';
import { excelSerialToDate, parseSheetDate } from '../../server/domain/imports/dates.js';
import { decodeCsv } from '../../server/domain/imports/encoding.js';
import { fieldForHeader, proposeMapping } from '../../server/domain/imports/fields.js';
import { categoryForWord, methodForWord } from '../../server/domain/imports/words.js';

const date = (text: string) => {
  const r = parseSheetDate(text);
  return r.ok ? r.value : r.problem;
};

describe('dates as Japanese sheets keep them', () => {
  it('reads 年号 strings, abbreviations and ligatures', () => {
    expect(date('令和5年7月4日')).toBe('2023-07-04');
    expect(date('R5.7.4')).toBe('2023-07-04');
    expect(date('r05/07/04')).toBe('2023-07-04');
    expect(date('令和元年5月1日')).toBe('2019-05-01');
    expect(date('H31.4.30')).toBe('2019-04-30');
    expect(date('平成31年4月30日')).toBe('2019-04-30');
    expect(date('昭和64年1月7日')).toBe('1989-01-07');
    expect(date('㍻30年12月1日')).toBe('2018-12-01');
    expect(date('令和６年１月１５日')).toBe('2024-01-15');
  });

  it('refuses days the era did not have and days no calendar has', () => {
    expect(date('H31.5.1')).toBe('imports.date.outsideEra');
    expect(date('令和1年4月30日')).toBe('imports.date.outsideEra');
    expect(date('R5.2.29')).toBe('imports.date.notADate');
    expect(date('2023/2/29')).toBe('imports.date.notADate');
    expect(date('来週')).toBe('imports.date.format');
  });

  it('reads gregorian forms and keeps only the day of a timestamp', () => {
    expect(date('2023/7/4')).toBe('2023-07-04');
    expect(date('2023年7月4日')).toBe('2023-07-04');
    expect(date('2023-07-04 09:30')).toBe('2023-07-04');
    expect(date('2023.07.04')).toBe('2023-07-04');
  });

  it('converts Excel serial numbers (1900 system, Lotus leap day included)', () => {
    expect(excelSerialToDate(45111)).toBe('2023-07-04');
    expect(excelSerialToDate(36526)).toBe('2000-01-01');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45111.75)).toBe('2023-07-04');
    expect(date('45111')).toBe('2023-07-04');
    expect(excelSerialToDate(-1)).toBeNull();
  });
});

describe('headers proposed as fields', () => {
  it('matches Japanese and English synonyms, folding width, case and brackets', () => {
    expect(fieldForHeader('支給日')).toBe('paidOn');
    expect(fieldForHeader('Date')).toBe('paidOn');
    expect(fieldForHeader('金額（円）')).toBe('amount');
    expect(fieldForHeader('ＡＭＯＵＮＴ')).toBe('amount');
    expect(fieldForHeader('カテゴリー')).toBe('category');
    expect(fieldForHeader('ケース番号')).toBe('caseRef');
    expect(fieldForHeader('財源')).toBe('fund');
    expect(fieldForHeader('支給方法')).toBe('method');
    expect(fieldForHeader('備考')).toBe('note');
    expect(fieldForHeader('色')).toBeNull();
  });

  it('gives each field the first column that names it', () => {
    expect(proposeMapping(['No', '日付', '区分', '金額', '金額', 'メモ', '人数'])).toEqual({
      voucher: 0,
      paidOn: 1,
      category: 2,
      amount: 3,
      note: 5,
      peopleCovered: 6,
    });
  });
});

describe('words for categories and methods', () => {
  const cats = [
    { code: 'shelter', labelJa: 'シェルター・住居費', labelEn: 'Shelter & housing' },
    { code: 'food', labelJa: '食料・消耗品費', labelEn: 'Food & consumables' },
  ];
  it('prefers the user’s own words, then codes and labels, then common words', () => {
    expect(categoryForWord('家賃', cats)).toBe('shelter');
    expect(categoryForWord('Food & Consumables', cats)).toBe('food');
    expect(categoryForWord('家賃', cats, { 家賃: 'food' })).toBe('food');
    expect(categoryForWord('医療費', cats)).toBeNull();
    expect(methodForWord('振込', {})).toBe('bank_transfer');
    expect(methodForWord('Bank transfer', { bank_transfer: ['Bank transfer'] })).toBe('bank_transfer');
    expect(methodForWord('手渡し', {})).toBe('cash');
  });
});

describe('amounts by the form’s rules', () => {
  it('accepts what people type and refuses decimals and negatives', () => {
    expect(parseYen('１２，０００')).toEqual({ ok: true, value: 12_000 });
    expect(parseYen('¥50,000')).toEqual({ ok: true, value: 50_000 });
    expect(parseYen('8000円')).toEqual({ ok: true, value: 8_000 });
    expect(parseYen('12.5')).toEqual({ ok: false, problem: 'money.invalid' });
    expect(parseYen('-300')).toEqual({ ok: false, problem: 'money.invalid' });
  });
});

describe('CSV encodings', () => {
  const text = '日付,金額\r\n2023/7/4,12000\r\n';
  it('detects UTF-8 with and without BOM, and Shift_JIS', () => {
    expect(decodeCsv(Buffer.from(text))).toMatchObject({ ok: true, encoding: 'utf-8', text });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toMatchObject({ ok: true, encoding: 'utf-8-bom', text });
    expect(decodeCsv(iconv.encode(text, 'cp932'))).toMatchObject({ ok: true, encoding: 'shift_jis', text });
    // CP932's own characters (①, ㈱, NEC special row) read too.
    expect(decodeCsv(iconv.encode('①㈱,髙\r\n', 'cp932'))).toMatchObject({ ok: true, encoding: 'shift_jis', text: '①㈱,髙\r\n' });
  });

  it('refuses a file whose lines mix UTF-8 and Shift_JIS', () => {
    const mixed = Buffer.concat([Buffer.from('日付,区分\r\n2023/7/4,家賃\r\n'), iconv.encode('2023/7/5,食費\r\n', 'cp932')]);
    expect(decodeCsv(mixed)).toEqual({ ok: false, problem: 'imports.encoding.mixed' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), mixed]))).toEqual({ ok: false, problem: 'imports.encoding.mixed' });
  });
});
