import { z } from 'zod';
import { blankMissing, checkbox, choice, cleanText, refuseHiddenChars } from './fields.js';

const label = z
  .string({ error: 'categories.label.required' })
  .transform(cleanText)
  .pipe(refuseHiddenChars(z.string().min(1, { error: 'categories.label.required' }).max(60, { error: 'categories.label.tooLong' })));

const labels = { labelJa: label, labelEn: label, requiresNote: checkbox };

export const categoryLabelsForm = blankMissing(z.object(labels));

export const newCategoryForm = blankMissing(
  z.object({
    code: z
      .string({ error: 'categories.code.format' })
      .transform((v) => v.trim())
      .pipe(z.string().regex(/^[a-z][a-z_]{1,31}$/, { error: 'categories.code.format' })),
    ...labels,
  }),
);

export const moveCategoryForm = blankMissing(z.object({ direction: choice(['up', 'down'] as const) }));
