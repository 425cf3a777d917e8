import type { Actor } from '../domain/actor.js';
import { cleanText, hasControlChars } from './fields.js';
import type { FieldErrors } from './parse.js';
import { isId } from './params.js';

interface Part {
  value?: unknown;
  filename?: string;
  _buf?: Buffer;
  type?: string;
}

export interface UploadValues {
  organizationId: string;
  sheet: string;
}
export type UploadForm =
  | { ok: true; file: Buffer; fileName: string; sheet: string | null; organizationId: number; values: UploadValues }
  | { ok: false; errors: FieldErrors; values: UploadValues };

const fieldText = (body: Record<string, unknown>, name: string): string => {
  const part = body[name] as Part | undefined;
  return part && part.type === 'field' && typeof part.value === 'string' ? part.value : '';
};

/**
 * Step 1's multipart form (attachFieldsToBody: true): the file (`file`), the sheet to read
 * (optional; the first otherwise) and, for coordinators, the organization the records belong to.
 */
export async function readUploadForm(body: unknown, actor: Actor): Promise<UploadForm> {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = { organizationId: fieldText(raw, 'organizationId'), sheet: fieldText(raw, 'sheet') };
  const errors: FieldErrors = {};
  const part = raw.file as (Part & { toBuffer?: () => Promise<Buffer> }) | undefined;
  const file = part && part.type === 'file' && part.toBuffer ? await part.toBuffer() : null;
  if (!file || file.length === 0) errors.file = 'imports.fileRequired';
  const fileName = cleanText(part?.filename ?? '').slice(0, 200);
  let organizationId = actor.organizationId;
  if (actor.role === 'coordinator') {
    if (!isId(values.organizationId)) errors.organizationId = 'validation.required';
    else organizationId = Number(values.organizationId);
  }
  const sheet = cleanText(values.sheet);
  if (sheet.length > 31 || hasControlChars(sheet)) errors.sheet = 'imports.sheetInvalid';
  if (Object.keys(errors).length > 0 || !file) return { ok: false, errors, values };
  return { ok: true, file, fileName, sheet: sheet === '' ? null : sheet, organizationId, values };
}
