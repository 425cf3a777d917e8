import { z } from 'zod';

/** Browser form fields are strings; anything else (arrays, objects) is refused with a message key. */
export const text = (max: number) =>
  z
    .string({ error: 'validation.invalid' })
    .transform((v) => v.normalize('NFC').trim())
    .pipe(z.string().max(max, { error: 'validation.tooLong' }));

export const requiredText = (max: number) =>
  text(max).pipe(z.string().min(1, { error: 'validation.required' }));

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

/** A positive whole number typed as ASCII digits (ids, sizes). */
export const idField = z
  .string({ error: 'validation.required' })
  .regex(/^[1-9][0-9]{0,9}$/, { error: 'validation.invalidChoice' })
  .transform(Number);
