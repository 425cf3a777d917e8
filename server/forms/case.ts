import { z } from 'zod';
import { AGE_BANDS, CASE_STATUSES, GENDERS, RESIDENCE_STATUSES } from '../domain/enums.js';
import { NATIONALITY_CODES } from '../domain/nationalities.js';
import { PREFECTURE_CODES } from '../domain/prefectures.js';
import { blankMissing, choice, cleanText, refuseHiddenChars, optionalChoice } from './fields.js';
import { ID_PATTERN } from './params.js';

export const PREFECTURE_CHOICES: [string, ...string[]] = ['unknown', ...PREFECTURE_CODES];
export const MAX_HOUSEHOLD = 20;

/** People in the household, 1..20, typed as digits (full-width too: NFKC). */
const householdSize = z
  .string({ error: 'cases.householdSize.required' })
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .min(1, { error: 'cases.householdSize.required' })
      .regex(/^[0-9]{1,3}$/, { error: 'cases.householdSize.notNumber' }),
  )
  .transform(Number)
  .pipe(z.number().min(1, { error: 'cases.householdSize.range' }).max(MAX_HOUSEHOLD, { error: 'cases.householdSize.range' }));

/** Optional free text with a field-specific length message; empty becomes null. */
const identifying = (max: number, tooLongKey: string) =>
  z
    .union([z.string(), z.undefined()], { error: 'validation.invalid' })
    .transform((v) => cleanText(v ?? ''))
    .pipe(refuseHiddenChars(z.string().max(max, { error: tooLongKey })))
    .transform((v) => (v === '' ? null : v));

const organizationId = z
  .union([z.literal(''), z.undefined(), z.string().regex(ID_PATTERN)], { error: 'validation.invalidChoice' })
  .transform((v) => (v === '' || v === undefined ? null : Number(v)));

const caseFields = {
  householdSize,
  gender: optionalChoice(GENDERS),
  ageBand: optionalChoice(AGE_BANDS),
  nationality: optionalChoice(NATIONALITY_CODES),
  residenceStatus: optionalChoice(RESIDENCE_STATUSES),
  prefecture: optionalChoice(PREFECTURE_CHOICES),
  alias: identifying(100, 'cases.alias.tooLong'),
  contact: identifying(200, 'cases.contact.tooLong'),
  notes: identifying(2000, 'cases.notes.tooLong'),
};

export const newCaseForm = blankMissing(
  z.object({
    ...caseFields,
    organizationId,
    idempotencyKey: z.string({ error: 'validation.invalid' }),
  }),
);

export const editCaseForm = blankMissing(z.object({ ...caseFields, status: choice(CASE_STATUSES) }));

/** The names the case form re-renders, as the browser sent them. */
export const CASE_FORM_FIELDS = [
  'householdSize',
  'gender',
  'ageBand',
  'nationality',
  'residenceStatus',
  'prefecture',
  'alias',
  'contact',
  'notes',
  'status',
  'organizationId',
] as const;
