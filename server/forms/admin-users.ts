import { z } from 'zod';
import { ROLES } from '../domain/enums.js';
import { passwordLengthProblem } from '../domain/passwords.js';
import { checkbox, choice, idField, requiredText } from './fields.js';

/** Never trimmed or normalised: a password is exactly what was typed; length rules as §8. */
const temporaryPassword = z
  .string({ error: 'validation.required' })
  .min(1, { error: 'validation.required' })
  .superRefine((value, ctx) => {
    const problem = passwordLengthProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `password.${problem}` });
  });

const access = {
  role: choice(ROLES),
  organizationId: idField,
  isAdmin: checkbox,
};

/** Only coordinators can hold the admin flag (the database says so too). */
const adminOnlyForCoordinators = (v: { role: string; isAdmin: boolean }) => !v.isAdmin || v.role === 'coordinator';
const adminRule = { path: ['isAdmin'], error: 'admin.users.adminOnlyCoordinator' };

export const userCreateForm = z
  .object({
    email: z
      .string({ error: 'validation.required' })
      .transform((v) => v.normalize('NFKC').trim())
      .pipe(z.string().min(1, { error: 'validation.required' }).max(254, { error: 'admin.users.emailFormat' }))
      .pipe(z.email({ error: 'admin.users.emailFormat' })),
    displayName: requiredText(100),
    ...access,
    password: temporaryPassword,
  })
  .refine(adminOnlyForCoordinators, adminRule);

export const userAccessForm = z.object(access).refine(adminOnlyForCoordinators, adminRule);

export const userPasswordForm = z.object({ password: temporaryPassword });
