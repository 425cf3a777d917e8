import { z } from 'zod';
import { PREFECTURE_CODES } from '../domain/prefectures.js';
import { optionalChoice, requiredText } from './fields.js';

const prefectures = PREFECTURE_CODES as [string, ...string[]];

/** Full-width letters from a Japanese keyboard (ＴＫＹ) and lower case are accepted and normalised. */
const orgCode = z
  .string({ error: 'validation.required' })
  .transform((v) => v.normalize('NFKC').trim().toUpperCase())
  .pipe(
    z
      .string()
      .min(1, { error: 'validation.required' })
      .regex(/^[A-Z]{2,6}$/, { error: 'admin.orgs.codeFormat' }),
  );

export const organizationUpdateForm = z.object({
  name: requiredText(100),
  prefecture: optionalChoice(prefectures),
});

export const organizationCreateForm = organizationUpdateForm.extend({ code: orgCode });
