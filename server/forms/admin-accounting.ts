import { z } from 'zod';
import type { AccountingInput } from '../domain/exports/accounting-map.js';
import { cleanText, hasControlChars } from './fields.js';
import { parseForm, type FormResult } from './parse.js';

/**
 * One account name as the accounting software spells it: up to 64 characters, empty = default.
 * No control characters and no leading = + - @: the names land in CSV files a spreadsheet opens.
 */
const account = z
  .string()
  .transform((v) => cleanText(v).trim())
  .refine((v) => v.length <= 64, 'accounting.tooLong')
  .refine((v) => !hasControlChars(v) && !/^[=+\-@]/.test(v), 'accounting.invalidChars');

const group = z.record(z.string().regex(/^[a-z0-9_]{1,32}$/), account).default({});

/**
 * Funds are keyed `fund[id12]`, not `fund[12]`: the body parser (qs) reads a numeric key as an
 * array index and compacts the array, which would lose which fund a value belongs to.
 */
const fundGroup = z
  .record(z.string().regex(/^id[1-9][0-9]{0,9}$/), account)
  .default({})
  .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.slice(2), v])));

const schema = z.object({ category: group, method: group, fund: fundGroup });

/** POST /admin/accounting: category[code], method[code], fund[id<n>] → account names. */
export function parseAccountingForm(body: unknown): FormResult<AccountingInput> {
  return parseForm(schema, body);
}

/** What the form shows again after a refusal: the strings as typed. */
export function typedAccounts(body: unknown): AccountingInput {
  const raw = (body ?? {}) as Record<string, unknown>;
  const pick = (name: string) => {
    const v = raw[name];
    if (!v || typeof v !== 'object') return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  };
  const funds = Object.entries(pick('fund')).filter(([k]) => k.startsWith('id'));
  return { category: pick('category'), method: pick('method'), fund: Object.fromEntries(funds.map(([k, v]) => [k.slice(2), v])) };
}
