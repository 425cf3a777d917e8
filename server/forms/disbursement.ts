import qs from 'qs';
import { z } from 'zod';
import { METHODS } from '../domain/enums.js';
import type { DisbursementInput } from '../domain/disbursements.js';
import { FORM_KEY_PATTERN } from '../domain/idempotency.js';
import { parseYen } from '../domain/money.js';
import { choice, idField, optionalText } from './fields.js';
import { parseForm, textValue, type FieldErrors } from './parse.js';

export const MAX_LINES = 20;
/** Rows a new form opens with: one, so the form fits a phone; 「行を追加」 (or the spare row) adds more. */
export const MIN_LINE_ROWS = 1;

/** What the browser sent, as text, to re-render the form exactly as typed. */
export interface LineValues {
  category: string;
  amount: string;
}
export interface DisbursementFormValues {
  caseId: string;
  paidOn: string;
  fundId: string;
  method: string;
  peopleCovered: string;
  payee: string;
  note: string;
  lines: LineValues[];
  idempotencyKey: string;
  version: string;
}

export type DisbursementFormData = DisbursementInput;

export type DisbursementFormResult =
  { ok: true; data: DisbursementFormData; values: DisbursementFormValues } | { ok: false; errors: FieldErrors; values: DisbursementFormValues };

/** Why a typed date is refused (SPEC §3), or null: a real calendar date, 2000-01-01 .. today. */
export function paidOnProblem(text: string, today: string): string | null {
  if (text === '') return 'validation.required';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return 'disbursements.paidOnFormat';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return 'disbursements.paidOnNotADate';
  if (text < '2000-01-01') return 'disbursements.paidOnTooEarly';
  if (text > today) return 'disbursements.paidOnFuture';
  return null;
}

const folded = z.string({ error: 'validation.required' }).transform((v) => v.normalize('NFKC').trim());

const headerSchema = (today: string) =>
  z.object({
    caseId: idField,
    paidOn: folded.superRefine((v, ctx) => {
      const problem = paidOnProblem(v, today);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    fundId: idField,
    method: choice(METHODS),
    peopleCovered: folded
      .pipe(
        z
          .string()
          .min(1, { error: 'validation.required' })
          .regex(/^[0-9]{1,3}$/, { error: 'disbursements.peopleInvalid' }),
      )
      .transform(Number)
      .pipe(z.number().min(1, { error: 'disbursements.peopleMin' }).max(20, { error: 'disbursements.peopleMax' })),
    payee: optionalText(100),
    note: optionalText(1000),
  });

/** qs gives lines as an array, or as an index-keyed object past its array limit. */
function lineRows(raw: unknown): Record<string, unknown>[] {
  let rows: unknown[] = [];
  if (Array.isArray(raw)) rows = raw;
  else if (raw && typeof raw === 'object')
    rows = Object.entries(raw)
      .filter(([k]) => /^\d+$/.test(k))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v);
  return rows.map((row) => (row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {}));
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function parseLines(raw: unknown, errors: FieldErrors): { values: LineValues[]; data: DisbursementFormData['lines'] } {
  // A row the user left entirely empty is not a line; the rest keep their order.
  const rows = lineRows(raw).filter((row) => !(isBlank(row.category) && isBlank(row.amount)));
  const values = rows.map((row) => ({ category: textValue(row, 'category'), amount: textValue(row, 'amount') }));
  const data: DisbursementFormData['lines'] = [];
  rows.forEach((row, i) => {
    const category = typeof row.category === 'string' ? row.category.trim() : '';
    if (!/^[a-z]{2,32}$/.test(category)) errors[`lines[${i}][category]`] = category === '' ? 'disbursements.categoryRequired' : 'validation.invalidChoice';
    const amount = parseYen(row.amount);
    if (!amount.ok) errors[`lines[${i}][amount]`] = amount.problem;
    else data.push({ category, amount: amount.value });
  });
  if (rows.length === 0) errors.lines = 'disbursements.linesRequired';
  if (rows.length > MAX_LINES) errors.lines = 'disbursements.tooManyLines';
  return { values, data };
}

/**
 * The disbursement form (SPEC §6 field names). `today` is the Tokyo date, for "not in the future".
 * Every problem is reported at once, keyed by the field's name (`lines[0][amount]`).
 */
export function parseDisbursementForm(body: unknown, options: { today: string }): DisbursementFormResult {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const errors: FieldErrors = {};
  const header = parseForm(headerSchema(options.today), raw);
  if (!header.ok) Object.assign(errors, header.errors);
  // Own keys for the lengths, so no message needs a per-field placeholder.
  if (errors.payee === 'validation.tooLong') errors.payee = 'disbursements.payeeTooLong';
  if (errors.note === 'validation.tooLong') errors.note = 'disbursements.noteTooLong';
  // A dropdown left empty is chosen, not typed (issue 16 §2).
  if (errors.method === 'validation.required') errors.method = 'phones.chooseRequired';
  if (errors.fundId !== undefined && textValue(raw, 'fundId') === '') errors.fundId = 'phones.chooseRequired';
  const lines = parseLines(raw.lines, errors);
  const values: DisbursementFormValues = {
    caseId: textValue(raw, 'caseId'),
    paidOn: textValue(raw, 'paidOn'),
    fundId: textValue(raw, 'fundId'),
    method: textValue(raw, 'method'),
    peopleCovered: textValue(raw, 'peopleCovered'),
    payee: textValue(raw, 'payee'),
    note: textValue(raw, 'note'),
    lines: lines.values,
    idempotencyKey: textValue(raw, 'idempotencyKey'),
    version: textValue(raw, 'version'),
  };
  if (!header.ok || Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, data: { ...header.data, lines: lines.data }, values };
}

/** The hidden one-time key of a create form, when well-formed. */
export function formKey(values: DisbursementFormValues): string | null {
  return FORM_KEY_PATTERN.test(values.idempotencyKey) ? values.idempotencyKey : null;
}

/** The hidden version an edit form saw, when well-formed. */
export function formVersion(values: DisbursementFormValues): number | null {
  return /^[1-9][0-9]{0,8}$/.test(values.version) ? Number(values.version) : null;
}

/** Rows to show: at least three empty-capable rows, one spare after what was typed. */
export function rowsToShow(lines: LineValues[]): LineValues[] {
  const count = Math.min(Math.max(MIN_LINE_ROWS, lines.length + 1), Math.max(MAX_LINES, lines.length));
  return Array.from({ length: count }, (_, i) => lines[i] ?? { category: '', amount: '' });
}

/**
 * A multipart body (attachFieldsToBody 'keyValues') into the shape qs gives a urlencoded one:
 * flat `lines[0][amount]` names become nested; file buffers are returned apart.
 */
export function splitMultipartBody(body: unknown, fileField: string): { fields: Record<string, unknown>; files: Buffer[] } {
  const flat = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const pairs = new URLSearchParams();
  const files: Buffer[] = [];
  for (const [name, value] of Object.entries(flat)) {
    for (const item of [value].flat()) {
      if (Buffer.isBuffer(item)) {
        // A file input left empty still sends an empty part.
        if (name === fileField && item.length > 0) files.push(item);
      } else if (typeof item === 'string') pairs.append(name, item);
    }
  }
  const fields = qs.parse(pairs.toString(), { depth: 3, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false });
  return { fields, files };
}

/** The total of the amounts typed so far that read as yen (shown beside the lines). */
export function typedTotal(lines: LineValues[]): number {
  return lines.reduce((sum, line) => {
    const amount = parseYen(line.amount);
    return amount.ok ? sum + amount.value : sum;
  }, 0);
}
