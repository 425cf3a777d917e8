import { z } from 'zod';
import { METHODS, ROUND_UNITS } from '../domain/enums.js';
import type { EntryDecision } from '../domain/round-applications.js';
import type { RoundInput } from '../domain/rounds.js';
import { FORM_KEY_PATTERN } from '../domain/idempotency.js';
import { parseYen } from '../domain/money.js';
import { paidOnProblem } from './disbursement.js';
import { choice, cleanText, hasControlChars, idField } from './fields.js';
import { parseForm, textValue, type FieldErrors } from './parse.js';
import { isId } from './params.js';

const folded = z.string({ error: 'validation.required' }).transform((v) => v.normalize('NFKC').trim());

const date = folded.superRefine((v, ctx) => {
  // Any real date from 2000 on; a round's window may lie ahead.
  const problem = paidOnProblem(v, '9999-12-31');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const roundShape = z
  .object({
    fundId: idField,
    name: z
      .string({ error: 'validation.required' })
      .transform(cleanText)
      .pipe(
        z
          .string()
          .min(1, { error: 'validation.required' })
          .max(100, { error: 'validation.tooLong' })
          .refine((v) => !hasControlChars(v), { error: 'validation.invalid' }),
      ),
    categoryCode: z.string({ error: 'validation.required' }).regex(/^[a-z][a-z_]{1,31}$/, { error: 'validation.invalidChoice' }),
    amount: z.string({ error: 'money.required' }).transform((v, ctx) => {
      const parsed = parseYen(v);
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.problem, input: v });
      return z.NEVER;
    }),
    unit: choice(ROUND_UNITS),
    startsOn: date,
    endsOn: date,
    maxPeoplePerGroup: folded
      .pipe(z.string().regex(/^([1-9][0-9]{0,5})?$/, { error: 'rounds.maxPeopleInvalid' }))
      .transform((v) => (v === '' ? null : Number(v))),
  })
  .refine((r) => r.startsOn <= r.endsOn, { path: ['endsOn'], error: 'funds.period.order' });

export const ROUND_FORM_FIELDS = ['fundId', 'name', 'categoryCode', 'amount', 'unit', 'startsOn', 'endsOn', 'maxPeoplePerGroup'] as const;

export function parseRoundForm(body: unknown): { ok: true; data: RoundInput } | { ok: false; errors: FieldErrors } {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const filled = Object.fromEntries(ROUND_FORM_FIELDS.map((f) => [f, typeof raw[f] === 'string' ? raw[f] : raw[f] === undefined ? '' : raw[f]]));
  const result = parseForm(roundShape, filled);
  return result.ok ? { ok: true, data: result.data } : { ok: false, errors: result.errors };
}

/** qs gives rows as an array, or as an index-keyed object past its array limit. */
function indexedRows(raw: unknown): Record<string, unknown>[] {
  let rows: unknown[] = [];
  if (Array.isArray(raw)) rows = raw;
  else if (raw && typeof raw === 'object')
    rows = Object.entries(raw)
      .filter(([k]) => /^\d+$/.test(k))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v);
  return rows.map((row) => (row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {}));
}

export interface ApplicationFormValues {
  paidOn: string;
  method: string;
  idempotencyKey: string;
  /** Per case id as typed: ticked, and people covered. */
  rows: Map<number, { checked: boolean; people: string }>;
}

/**
 * The application form: one row per case (`entries[i][caseId]` a checkbox whose value is the case
 * id, `entries[i][people]`); only ticked rows are applied for. Errors are keyed by the row's index.
 */
export function parseApplicationForm(body: unknown, today: string) {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const errors: FieldErrors = {};
  const values: ApplicationFormValues = {
    paidOn: textValue(raw, 'paidOn'),
    method: textValue(raw, 'method'),
    idempotencyKey: textValue(raw, 'idempotencyKey'),
    rows: new Map(),
  };
  const paidOn = values.paidOn.normalize('NFKC').trim();
  const dateProblem = paidOnProblem(paidOn, today);
  if (dateProblem) errors.paidOn = dateProblem;
  if (!(METHODS as readonly string[]).includes(values.method)) errors.method = values.method === '' ? 'validation.required' : 'validation.invalidChoice';
  const entries: { caseId: number; peopleCovered: number }[] = [];
  const rowIndex: number[] = [];
  indexedRows(raw.entries).forEach((row, i) => {
    const caseId = textValue(row, 'caseId');
    const people = textValue(row, 'people').normalize('NFKC').trim();
    const idText = textValue(row, 'id');
    const id = isId(caseId) ? Number(caseId) : isId(idText) ? Number(idText) : null;
    if (id !== null) values.rows.set(id, { checked: caseId !== '', people });
    if (caseId === '') return;
    if (id === null || caseId !== String(id)) {
      errors[`entries[${i}][caseId]`] = 'validation.invalidChoice';
      return;
    }
    if (!/^[0-9]{1,2}$/.test(people) || Number(people) < 1 || Number(people) > 20) {
      errors[`entries[${i}][people]`] = 'disbursements.peopleInvalid';
      return;
    }
    entries.push({ caseId: id, peopleCovered: Number(people) });
    rowIndex.push(i);
  });
  if (entries.length === 0 && !errors.entries) errors.entries = 'rounds.noCases';
  const key = FORM_KEY_PATTERN.test(values.idempotencyKey) ? values.idempotencyKey : null;
  if (key === null) errors._form = 'validation.invalid';
  if (Object.keys(errors).length > 0) return { ok: false as const, errors, values };
  return { ok: true as const, data: { paidOn, method: values.method as (typeof METHODS)[number], entries, idempotencyKey: key! }, values, rowIndex };
}

/**
 * Decisions: `decision[e<entryId>]` = approve | reject | skip and `version[e<entryId>]`; `all` applies
 * one to every row. The `e` keeps qs from reading the ids as (compacted) array indexes.
 */
export function parseDecisionForm(
  body: unknown,
): { ok: true; decisions: Map<number, { decision: EntryDecision; version: number }>; reason: string | null } | { ok: false; errors: FieldErrors } {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const all = textValue(raw, 'all');
  const decisionsRaw = raw.decision && typeof raw.decision === 'object' ? (raw.decision as Record<string, unknown>) : {};
  const versions = raw.version && typeof raw.version === 'object' ? (raw.version as Record<string, unknown>) : {};
  const decisions = new Map<number, { decision: EntryDecision; version: number }>();
  for (const [key, v] of Object.entries(versions)) {
    if (!/^e[1-9][0-9]{0,9}$/.test(key) || typeof v !== 'string' || !/^[1-9][0-9]{0,8}$/.test(v))
      return { ok: false, errors: { decisions: 'validation.invalid' } };
    const chosen = all || (typeof decisionsRaw[key] === 'string' ? decisionsRaw[key] : 'skip');
    if (!['approve', 'reject', 'skip'].includes(chosen)) return { ok: false, errors: { decisions: 'validation.invalidChoice' } };
    decisions.set(Number(key.slice(1)), { decision: chosen as EntryDecision, version: Number(v) });
  }
  const reasonText = cleanText(textValue(raw, 'reason'));
  if (reasonText.length > 1000 || hasControlChars(reasonText)) return { ok: false, errors: { reason: 'validation.tooLong' } };
  if (decisions.size === 0) return { ok: false, errors: { decisions: 'rounds.nothingDecided' } };
  return { ok: true, decisions, reason: reasonText === '' ? null : reasonText };
}
