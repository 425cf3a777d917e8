import { describe, expect, it } from 'vitest';
import { parseYen } from '../../server/domain/money.js';
import { paidOnProblem, parseDisbursementForm, rowsToShow, splitMultipartBody } from '../../server/forms/disbursement.js';

describe('parseYen (SPEC §3)', () => {
  it.each(['12000', '12,000', '¥12,000', '12000円', '１２，０００', '￥１２，０００', '１２０００円', ' 12000 ', '¥12000円'])('reads %j as 12000', (typed) => {
    expect(parseYen(typed)).toEqual({ ok: true, value: 12000 });
  });

  it.each([
    ['', 'money.required'],
    [' ', 'money.required'],
    ['　', 'money.required'],
    ['12000.5', 'money.invalid'],
    ['12000.0', 'money.invalid'],
    ['-5', 'money.invalid'],
    ['+5', 'money.invalid'],
    ['1e5', 'money.invalid'],
    ['0x10', 'money.invalid'],
    ['Infinity', 'money.invalid'],
    ['NaN', 'money.invalid'],
    ['12 000', 'money.invalid'],
    ['1,2000', 'money.invalid'],
    ['12,00', 'money.invalid'],
    ['abc', 'money.invalid'],
    ['012000', 'money.invalid'],
    ['0', 'money.tooSmall'],
    ['10000001', 'money.tooLarge'],
    ['99999999999999999999', 'money.tooLarge'],
  ])('refuses %j with %s', (typed, problem) => {
    expect(parseYen(typed)).toEqual({ ok: false, problem });
  });

  it('accepts exactly ¥10,000,000 and refuses non-strings', () => {
    expect(parseYen('10,000,000')).toEqual({ ok: true, value: 10_000_000 });
    expect(parseYen(['1000'])).toEqual({ ok: false, problem: 'money.invalid' });
    expect(parseYen({ value: '1000' })).toEqual({ ok: false, problem: 'money.invalid' });
    expect(parseYen(12000)).toEqual({ ok: false, problem: 'money.invalid' });
    expect(parseYen(undefined)).toEqual({ ok: false, problem: 'money.required' });
  });
});

describe('paidOnProblem', () => {
  it.each([
    ['2025-06-15', null],
    ['2000-01-01', null],
    ['2024-02-29', null],
    ['2025-06-16', 'disbursements.paidOnFuture'],
    ['1999-12-31', 'disbursements.paidOnTooEarly'],
    ['2025-02-30', 'disbursements.paidOnNotADate'],
    ['2025-02-29', 'disbursements.paidOnNotADate'],
    ['2025-13-01', 'disbursements.paidOnNotADate'],
    ['2025-6-1', 'disbursements.paidOnFormat'],
    ['abc', 'disbursements.paidOnFormat'],
    ['', 'validation.required'],
  ])('%j → %s', (typed, problem) => {
    expect(paidOnProblem(typed, '2025-06-15')).toBe(problem);
  });
});

describe('parseDisbursementForm', () => {
  const body = {
    caseId: '7',
    paidOn: '２０２５-０６-１０',
    fundId: '1',
    method: 'cash',
    peopleCovered: '２',
    payee: ' ',
    note: '',
    lines: [{ category: 'food', amount: '１，０００' }],
  };

  it('gives typed input with full-width text folded', () => {
    const result = parseDisbursementForm(body, { today: '2025-06-15' });
    expect(result.ok && result.data).toEqual({
      caseId: 7,
      paidOn: '2025-06-10',
      fundId: 1,
      method: 'cash',
      peopleCovered: 2,
      payee: null,
      note: null,
      lines: [{ category: 'food', amount: 1000 }],
    });
  });

  it('reports every problem keyed by field name and keeps the raw text', () => {
    const result = parseDisbursementForm(
      { ...body, method: 'x', lines: { 0: { category: '', amount: '5' }, 3: { category: 'food', amount: '1.5' } } },
      { today: '2025-06-15' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      method: 'validation.invalidChoice',
      'lines[0][category]': 'disbursements.categoryRequired',
      'lines[1][amount]': 'money.invalid',
    });
    expect(result.values.lines).toEqual([
      { category: '', amount: '5' },
      { category: 'food', amount: '1.5' },
    ]);
    expect(result.values.paidOn).toBe('２０２５-０６-１０');
  });

  it('opens with one row, and shows one spare after what was typed (issue 16: the form fits a phone)', () => {
    expect(rowsToShow([])).toHaveLength(1);
    expect(rowsToShow([{ category: 'food', amount: '1' }])).toHaveLength(2);
    expect(
      rowsToShow([
        { category: 'food', amount: '1' },
        { category: 'food', amount: '2' },
        { category: 'food', amount: '3' },
      ]),
    ).toHaveLength(4);
    expect(rowsToShow(Array.from({ length: 20 }, () => ({ category: 'food', amount: '1' })))).toHaveLength(20);
  });
});

describe('splitMultipartBody', () => {
  it('nests flat names as qs does and keeps non-empty files apart', () => {
    const file = Buffer.from('x');
    const { fields, files } = splitMultipartBody(
      {
        'lines[0][category]': 'food',
        'lines[0][amount]': '100',
        'lines[1][amount]': ['1', '2'],
        note: 'n',
        receipt: [file, Buffer.alloc(0)],
        other: Buffer.from('y'),
        __proto__x: 'z',
      },
      'receipt',
    );
    expect(fields).toEqual({ lines: [{ category: 'food', amount: '100' }, { amount: ['1', '2'] }], note: 'n', __proto__x: 'z' });
    expect(files).toEqual([file]);
  });
});
