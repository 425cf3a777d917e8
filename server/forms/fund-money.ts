import { z } from 'zod';
import { MONEY_SOURCES } from '../domain/enums.js';
import { parseYen } from '../domain/money.js';
import { normalizeDate, type MoneyInMapping } from '../domain/money-in-csv.js';
import { checkbox, choice, optionalText } from './fields.js';
import { parseForm, textValue, type FieldErrors } from './parse.js';

const MAX = 10_000_000_000;
const yen = z.string({ error: 'money.required' }).transform((v, ctx) => {
  const parsed = parseYen(v, MAX);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.problem, input: v });
  return z.NEVER;
});
/** Empty means "none" (remove the budget, cap or target). */
const optionalYen = z.string({ error: 'money.invalid' }).transform((v, ctx) => {
  if (v.normalize('NFKC').trim() === '') return null;
  const parsed = parseYen(v, MAX);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.problem, input: v });
  return z.NEVER;
});
const date = z.string({ error: 'validation.required' }).transform((v, ctx) => {
  const d = normalizeDate(v);
  if (d) return d;
  ctx.issues.push({ code: 'custom', message: v.trim() === '' ? 'validation.required' : 'fundMoney.dateInvalid', input: v });
  return z.NEVER;
});
const optionalDate = z.string().transform((v, ctx) => {
  if (v.trim() === '') return null;
  const d = normalizeDate(v);
  if (d) return d;
  ctx.issues.push({ code: 'custom', message: 'fundMoney.dateInvalid', input: v });
  return z.NEVER;
});
const categoryCode = z.string({ error: 'validation.required' }).regex(/^[a-z][a-z_]{1,31}$/, { error: 'validation.invalidChoice' });
const column = z.string().max(100, { error: 'validation.tooLong' }).transform((v) => v.trim());

const fill = (raw: unknown, fields: readonly string[]) => {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return { ...Object.fromEntries(fields.map((f) => [f, ''])), ...body };
};

export const MONEY_IN_FIELDS = ['receivedOn', 'amount', 'source', 'label'] as const;
export const parseMoneyInForm = (raw: unknown) =>
  parseForm(z.object({ receivedOn: date, amount: yen, source: choice(MONEY_SOURCES), label: optionalText(200) }), fill(raw, MONEY_IN_FIELDS));

export const parseBudgetForm = (raw: unknown) => parseForm(z.object({ categoryCode, amount: optionalYen }), fill(raw, ['categoryCode', 'amount']));

export const parseCapForm = (raw: unknown) =>
  parseForm(
    z.object({ categoryCode, amount: optionalYen, periodDays: z.string().transform((v) => v.normalize('NFKC').trim()).pipe(z.string().regex(/^([1-9][0-9]{0,3})?$/, { error: 'fundMoney.daysInvalid' })).transform((v) => (v === '' ? null : Number(v))) })
      .refine((c) => c.amount === null || (c.periodDays !== null && c.periodDays <= 3660), { path: ['periodDays'], error: 'fundMoney.daysInvalid' }),
    fill(raw, ['categoryCode', 'amount', 'periodDays']),
  );

export const parseTargetForm = (raw: unknown) =>
  parseForm(z.object({ amount: optionalYen, dueOn: optionalDate, isPublic: checkbox }), fill(raw, ['amount', 'dueOn']));

/** The import form: the pasted CSV and which column is which. */
export function parseImportForm(raw: unknown): { ok: true; csv: string; mapping: MoneyInMapping } | { ok: false; errors: FieldErrors } {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const csv = textValue(body, 'csv');
  const parsed = parseForm(z.object({ dateColumn: column, amountColumn: column, sourceColumn: column, labelColumn: column, defaultSource: choice(MONEY_SOURCES) }), fill(body, ['dateColumn', 'amountColumn', 'sourceColumn', 'labelColumn', 'defaultSource']));
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (csv.trim() === '') errors.csv = 'fundMoney.csvEmpty';
  if (csv.length > 2_000_000) errors.csv = 'fundMoney.csvTooLong';
  if (parsed.ok && parsed.data.dateColumn === '') errors.dateColumn = 'validation.required';
  if (parsed.ok && parsed.data.amountColumn === '') errors.amountColumn = 'validation.required';
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const d = parsed.data;
  return { ok: true, csv, mapping: { date: d.dateColumn, amount: d.amountColumn, source: d.sourceColumn || null, label: d.labelColumn || null, defaultSource: d.defaultSource } };
}
