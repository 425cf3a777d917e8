import { MAX_LINE_AMOUNT } from '../../db/schema.js';

export type YenProblem = 'money.required' | 'money.invalid' | 'money.tooSmall' | 'money.tooLarge';

/**
 * Read a yen amount as people type it on Japanese phones and keyboards (SPEC §3):
 * `12000`, `12,000`, `¥12,000`, `12000円`, full-width `１２，０００`. Commas must group thousands.
 * Decimals, signs, exponents, hex, spaces inside and anything else are refused.
 */
export function parseYen(input: unknown, max = MAX_LINE_AMOUNT): { ok: true; value: number } | { ok: false; problem: YenProblem } {
  if (typeof input !== 'string') return { ok: false, problem: input === undefined ? 'money.required' : 'money.invalid' };
  // NFKC folds full-width digits, commas and the full-width yen sign to ASCII.
  const text = input.normalize('NFKC').trim();
  if (text === '') return { ok: false, problem: 'money.required' };
  const match = /^(?:[¥\\]\s?)?((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)\s?(?:円)?$/.exec(text);
  if (!match) return { ok: false, problem: 'money.invalid' };
  const digits = match[1]!.replaceAll(',', '');
  if (digits.length > 1 && digits.startsWith('0')) return { ok: false, problem: 'money.invalid' };
  if (digits.length > 15) return { ok: false, problem: 'money.tooLarge' };
  const value = Number(digits);
  if (value < 1) return { ok: false, problem: 'money.tooSmall' };
  if (value > max) return { ok: false, problem: 'money.tooLarge' };
  return { ok: true, value };
}
