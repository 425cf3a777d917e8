import type { FieldErrors } from './parse.js';

/**
 * The column chosen for each field of an import's mapping form ('' = not in this file): shared by
 * every importer. Required fields need a column, a column serves one field, errors are keyed
 * `col[field]` as the form names them.
 */
export function parseColumnChoices<F extends string>(
  chosen: Partial<Record<F, string>>,
  fields: readonly F[],
  required: readonly F[],
  headerCount: number,
  errors: FieldErrors,
): Partial<Record<F, number>> {
  const columns: Partial<Record<F, number>> = {};
  const used = new Set<number>();
  for (const field of fields) {
    const v = chosen[field] ?? '';
    if (v === '') {
      if (required.includes(field)) errors[`col[${field}]`] = 'imports.fieldRequired';
      continue;
    }
    if (!/^[0-9]{1,3}$/.test(v) || Number(v) >= headerCount) {
      errors[`col[${field}]`] = 'validation.invalidChoice';
      continue;
    }
    if (used.has(Number(v))) errors[`col[${field}]`] = 'imports.columnTwice';
    used.add(Number(v));
    columns[field] = Number(v);
  }
  return columns;
}
