import type { Acknowledgement } from '../domain/limits.js';
import { cleanText, hasControlChars } from './fields.js';
import { textValue } from './parse.js';

export interface AcknowledgementValues {
  overCapReason: string;
  duplicateConfirmed: boolean;
}

/** The two fields a disbursement form shows when it raised warnings (issue 14 §2). */
export function parseAcknowledgement(body: unknown): { value: Acknowledgement; values: AcknowledgementValues; error: string | null } {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const reason = cleanText(textValue(raw, 'overCapReason'));
  const tick = textValue(raw, 'duplicateConfirmed');
  const values = { overCapReason: textValue(raw, 'overCapReason'), duplicateConfirmed: tick === '1' || tick === 'on' };
  const error = reason.length > 1000 || hasControlChars(reason) ? 'validation.tooLong' : null;
  return { value: { overCapReason: error || reason === '' ? null : reason, duplicateConfirmed: values.duplicateConfirmed }, values, error };
}
