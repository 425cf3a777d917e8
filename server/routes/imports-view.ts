import type { FastifyRequest } from 'fastify';
import { METHODS } from '../domain/enums.js';
import { categoryLabel } from '../domain/categories.js';
import { IMPORT_FIELDS, REQUIRED_FIELDS } from '../domain/imports/fields.js';
import type { BatchPage } from '../domain/imports/page.js';
import type { MappingValues } from '../forms/import-mapping.js';

/** The batch page's view model: the loaded page, the mapping form's values and its messages. */
export function batchView(request: FastifyRequest, page: BatchPage, values: MappingValues, errors: Record<string, string>) {
  const t = request.t;
  const categoryOptions = page.categories.map((c) => ({ value: c.code, label: categoryLabel(c, request.locale) }));
  const categoryName = new Map(page.categories.map((c) => [c.code, categoryLabel(c, request.locale)]));
  // On a re-render the user's choices win over what the page would propose.
  const chosen = new Map(values.categoryWords.map((p) => [p.word, p.code]));
  return {
    title: t('imports.batchTitle', { id: page.batch.id }),
    page,
    values,
    errors,
    fields: IMPORT_FIELDS.map((f) => ({ name: f, label: t(`imports.field.${f}`), required: REQUIRED_FIELDS.includes(f) })),
    columnOptions: [{ value: '', label: t('imports.notInFile') }, ...page.headers.map((h, i) => ({ value: String(i), label: `${i + 1}: ${h || '—'}` }))],
    categoryOptions: [{ value: '', label: t('imports.chooseCategory') }, ...categoryOptions],
    categoryWords: page.categoryWords.map((w) => ({ word: w.word, code: chosen.get(w.word) ?? w.code })),
    methodOptions: METHODS.map((m) => ({ value: m, label: t(`methods.${m}`) })),
    fundOptions: page.funds.map((f) => ({ value: String(f.id), label: f.name })),
    categoryName: (code: string) => categoryName.get(code) ?? code,
    yen: (n: number) => `¥${n.toLocaleString('en-US')}`,
  };
}
