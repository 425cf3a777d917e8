import { z } from 'zod';
import { checkbox, choice, cleanText, hasControlChars } from './fields.js';

const label = z
  .string({ error: 'categories.label.required' })
  .transform(cleanText)
  .pipe(z.string().min(1, { error: 'categories.label.required' }).max(60, { error: 'categories.label.tooLong' }).refine((v) => !hasControlChars(v), { error: 'validation.invalid' }));

/** zod 4 refuses a missing key; an unticked checkbox is simply absent, so absent reads as ''. */
const blankMissing = <S extends z.ZodObject>(schema: S) =>
  z.preprocess((body) => ({ ...Object.fromEntries(Object.keys(schema.shape).map((k) => [k, ''])), ...(body && typeof body === 'object' ? body : {}) }), schema);

const labels = { labelJa: label, labelEn: label, requiresNote: checkbox };

export const categoryLabelsForm = blankMissing(z.object(labels));

export const newCategoryForm = blankMissing(
  z.object({
    code: z.string({ error: 'categories.code.format' }).transform((v) => v.trim()).pipe(z.string().regex(/^[a-z][a-z_]{1,31}$/, { error: 'categories.code.format' })),
    ...labels,
  }),
);

export const moveCategoryForm = blankMissing(z.object({ direction: choice(['up', 'down'] as const) }));
