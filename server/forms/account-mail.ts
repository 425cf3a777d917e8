import { z } from 'zod';

/** The account page's checkbox: present ("1") means on, absent means off. */
export const mailOptInForm = z.object({ enabled: z.literal('1', { error: 'validation.invalid' }).optional() });
