import { z } from 'zod';
import { LOCALES, type Locale } from '../domain/enums.js';
import { PAPERS, type Paper } from '../domain/acknowledgment.js';
import { DomainError } from '../domain/errors.js';

// Strict: `paper[]=a4` or a stray key is refused, not silently ignored. `lang` is the UI switch.
const query = z.strictObject({
  recipient: z.enum(LOCALES).optional(),
  paper: z.enum(PAPERS as [Paper, ...Paper[]]).optional(),
  lang: z.string().optional(),
});

/** `?recipient=en&paper=a5`; an unknown value or a repeated parameter is a bad request (400). */
export function parseAcknowledgmentQuery(raw: unknown, fallback: Locale): { recipient: Locale; paper: Paper } {
  const result = query.safeParse(raw ?? {});
  if (!result.success) throw new DomainError('errors.badRequest');
  return { recipient: result.data.recipient ?? fallback, paper: result.data.paper ?? 'a4' };
}
