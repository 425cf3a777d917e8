import { DomainError } from '../domain/errors.js';
import type { CsvEncoding } from '../domain/csv-export.js';

const NAMES: Record<string, CsvEncoding> = { '': 'utf8', utf8: 'utf8', 'utf-8': 'utf8', sjis: 'sjis', shift_jis: 'sjis', 'shift-jis': 'sjis', cp932: 'sjis' };

/** `?encoding=` of a CSV export: UTF-8 (BOM) unless sjis is asked for; anything else is a 400. */
export function parseCsvEncoding(query: unknown): CsvEncoding {
  const raw = (query as Record<string, unknown> | undefined)?.encoding;
  if (raw === undefined) return 'utf8';
  const encoding = typeof raw === 'string' ? NAMES[raw.toLowerCase()] : undefined;
  if (!encoding) throw new DomainError('exports.invalidEncoding');
  return encoding;
}
