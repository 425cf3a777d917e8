import { z } from 'zod';
import { MAX_FUND_BUDGET } from '../domain/funds.js';
import { parseYen } from '../domain/money.js';
import { cleanText, refuseHiddenChars } from './fields.js';

/** A real calendar date typed as YYYY-MM-DD (full-width digits folded), or empty for none. */
const optionalDate = z.string({ error: 'funds.date.invalid' }).transform((v, ctx) => {
  const text = v.normalize('NFKC').trim();
  if (text === '') return null;
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text || text < '2000-01-01') {
    ctx.issues.push({ code: 'custom', message: 'funds.date.invalid', input: v });
    return z.NEVER;
  }
  return text;
});

/** Yen as people type it (parseYen), up to ¥10 billion; empty means no budget. */
const budget = z.string({ error: 'money.invalid' }).transform((v, ctx) => {
  if (v.normalize('NFKC').trim() === '') return null;
  const parsed = parseYen(v, MAX_FUND_BUDGET);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: 'custom', message: parsed.problem === 'money.tooLarge' ? 'funds.budget.tooLarge' : parsed.problem, input: v });
  return z.NEVER;
});

const name = z
  .string({ error: 'funds.name.required' })
  .transform(cleanText)
  .pipe(refuseHiddenChars(z.string().min(1, { error: 'funds.name.required' }).max(100, { error: 'funds.name.tooLong' })));

const shape = z
  .object({ name, budget, startsOn: optionalDate, endsOn: optionalDate })
  .refine((f) => f.startsOn === null || f.endsOn === null || f.startsOn <= f.endsOn, { path: ['endsOn'], error: 'funds.period.order' });

/** Fields the browser left out read as empty (zod 4 refuses missing keys). */
export const fundForm = z.preprocess((body) => ({ name: '', budget: '', startsOn: '', endsOn: '', ...(body && typeof body === 'object' ? body : {}) }), shape);

export const FUND_FORM_FIELDS = ['name', 'budget', 'startsOn', 'endsOn'] as const;
