import { z } from 'zod';

// Zero-width characters are trimmed at the ends like spaces (inside they are real: ZWNJ in Persian
// names, ZWJ in emoji), so an invisible-only value is empty. Lone surrogates (only a JSON body can
// carry them) become U+FFFD instead of invalid UTF-8 in the database.
const EDGE_INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;
/** Control characters other than tab and line breaks are never typed: refused. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Typed text as stored: NFC, well-formed, without invisible edges. */
export const cleanText = (v: string) =>
  v
    .normalize('NFC')
    .replace(/\p{Cs}/gu, '\ufffd')
    .replace(EDGE_INVISIBLE, '');
export const hasControlChars = (v: string) => CONTROL.test(v);
/**
 * Invisible format characters (Unicode Cf): bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) make a name or payee read differently from what is stored,
 * and zero-width ones make two names look alike. Refused — except ZWNJ and ZWJ (U+200C, U+200D),
 * which Persian and Devanagari (Nepali) spelling and emoji sequences need inside a word.
 */
const FORMAT = /(?![\u200c\u200d])\p{Cf}/u;
export const hasFormatChars = (v: string) => FORMAT.test(v);
/** The message for text a person could not have meant to type, or null. */
export const hiddenCharsProblem = (v: string): string | null =>
  hasControlChars(v) ? 'validation.invalid' : hasFormatChars(v) ? 'validation.formatChars' : null;
/** Refuse control and format characters on a string schema, with the matching message. */
export const refuseHiddenChars = (schema: z.ZodString) =>
  schema.superRefine((v, ctx) => {
    const problem = hiddenCharsProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * A field the browser left out reads as '' (an unticked checkbox is simply absent), so a missing
 * required field gets the same "required" message as an empty one.
 */
export const blankMissing = <S extends z.ZodObject>(schema: S) =>
  z.preprocess((body) => ({ ...Object.fromEntries(Object.keys(schema.shape).map((k) => [k, ''])), ...(body && typeof body === 'object' ? body : {}) }), schema);

/** Browser form fields are strings; anything else (arrays, objects) is refused with a message key. */
export const text = (max: number) =>
  z
    .string({ error: 'validation.invalid' })
    .transform(cleanText)
    .pipe(refuseHiddenChars(z.string().max(max, { error: 'validation.tooLong' })));

export const requiredText = (max: number) => text(max).pipe(z.string().min(1, { error: 'validation.required' }));

export const optionalText = (max: number) =>
  z
    .union([text(max), z.undefined()])
    // zod 4 treats a key as required unless the schema itself is optional: browsers omit fields.
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (i) => (i.input === undefined || i.input === '' ? 'validation.required' : 'validation.invalidChoice') });

export const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.literal(''), z.undefined(), z.enum(values, { error: 'validation.invalidChoice' })], { error: 'validation.invalidChoice' })
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v));

/** An HTML checkbox: present ('1' or 'on') or absent. */
export const checkbox = z
  .union([z.literal('1'), z.literal('on'), z.literal('true'), z.undefined(), z.literal('')], { error: 'validation.invalid' })
  // An unchecked box is simply absent from the body.
  .optional()
  .transform((v) => v === '1' || v === 'on' || v === 'true');

/** A positive whole number typed as ASCII digits (ids, sizes): kept with the other id parsing. */
export { idField } from './params.js';
