import { z } from 'zod';
import { MONEY_SOURCES } from '../domain/enums.js';
import { parseYen } from '../domain/money.js';
import { checkbox, choice, optionalText } from './fields.js';
import { parseForm } from './parse.js';

const MAX = 10_000_000_000;

/** 2025-06-01, 2025/6/1 (as spreadsheets write it) → 2025-06-01, or null. */
export function normalizeDate(text: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso && iso >= '2000-01-01' ? iso : null;
}

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
    z
      .object({
        categoryCode,
        amount: optionalYen,
        periodDays: z
          .string()
          .transform((v) => v.normalize('NFKC').trim())
          .pipe(z.string().regex(/^([1-9][0-9]{0,3})?$/, { error: 'fundMoney.daysInvalid' }))
          .transform((v) => (v === '' ? null : Number(v))),
      })
      .refine((c) => c.amount === null || (c.periodDays !== null && c.periodDays <= 3660), { path: ['periodDays'], error: 'fundMoney.daysInvalid' }),
    fill(raw, ['categoryCode', 'amount', 'periodDays']),
  );

export const parseTargetForm = (raw: unknown) =>
  parseForm(z.object({ amount: optionalYen, dueOn: optionalDate, isPublic: checkbox }), fill(raw, ['amount', 'dueOn']));
