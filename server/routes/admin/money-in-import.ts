import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MONEY_SOURCES } from '../../domain/enums.js';
import { InvalidInput } from '../../domain/errors.js';
import { createFieldCipher } from '../../domain/field-crypto.js';
import { readUpload } from '../../domain/imports/read-upload.js';
import { commitMoneyIn, dryRunMoneyIn, stageMoneyInUpload } from '../../domain/money-in-import/batches.js';
import { loadMoneyInPage } from '../../domain/money-in-import/page.js';
import { MONEY_IN_IMPORT_FIELDS, MONEY_IN_REQUIRED, type MoneyInMapping } from '../../domain/money-in-import/plan.js';
import { cleanText } from '../../forms/fields.js';
import { moneyInValuesOf, parseMoneyInMappingForm, type MoneyInMappingValues } from '../../forms/money-in-mapping.js';
import type { FieldErrors } from '../../forms/parse.js';
import { isId, pathId } from '../../forms/params.js';

/** The platform's export is small (one row per gift, a few thousand a year): read on the request thread. */
const MAX_BYTES = 2 * 1024 * 1024;
type Part = { type?: string; filename?: string; toBuffer?: () => Promise<Buffer> };

const batchParam = (request: FastifyRequest) => pathId(request, 'batchId');

/**
 * Money in from the donation platform's CSV or workbook, through the record import's machinery
 * (read-upload: encoding, BOM, Shift_JIS; header synonyms; saved mappings; dry run; one commit).
 */
export async function adminMoneyInImportRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: MAX_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 } });
  const cipher = createFieldCipher(app.config.dataKey);
  const base = (fundId: number) => `/admin/funds/${fundId}/money-in/imports`;

  const renderUpload = (request: FastifyRequest, reply: FastifyReply, fundId: number, error: string, params: Record<string, string | number> = {}) =>
    reply
      .code(error === 'imports.tooLarge' ? 413 : 422)
      .view('admin/money-in-import/upload.eta', { title: request.t('fundsMore.import.title'), fundId, error, errorParams: params });

  const renderBatch = (
    request: FastifyRequest,
    reply: FastifyReply,
    fundId: number,
    id: number,
    opts: { savedMappingId?: number | null; values?: MoneyInMappingValues; errors?: FieldErrors; draft?: MoneyInMapping } = {},
  ) => {
    const page = loadMoneyInPage(app.db, request.actor!, fundId, id, { savedMappingId: opts.savedMappingId ?? null, draft: opts.draft, cipher });
    const t = request.t;
    const values = opts.values ?? moneyInValuesOf(page.mapping);
    const chosen = new Map(values.sourceWords.map((p) => [p.word, p.code]));
    const sourceOptions = MONEY_SOURCES.map((s) => ({ value: s, label: t(`fundMoney.source.${s}`) }));
    return reply.code(opts.errors && Object.keys(opts.errors).length > 0 ? 422 : 200).view('admin/money-in-import/show.eta', {
      title: t('fundsMore.import.batchTitle', { id }),
      page,
      values,
      errors: opts.errors ?? {},
      fields: MONEY_IN_IMPORT_FIELDS.map((f) => ({ name: f, label: t(`fundsMore.import.field.${f}`), required: MONEY_IN_REQUIRED.includes(f) })),
      columnOptions: [{ value: '', label: t('imports.notInFile') }, ...page.headers.map((h, i) => ({ value: String(i), label: `${i + 1}: ${h || '—'}` }))],
      sourceWords: page.sourceWords.map((w) => ({ word: w.word, code: chosen.get(w.word) ?? w.code })),
      sourceOptions,
      wordOptions: [{ value: '', label: t('fundsMore.import.chooseSource') }, ...sourceOptions],
    });
  };

  app.post('/admin/funds/:id/money-in/imports', async (request, reply) => {
    const fundId = pathId(request);
    const body = (request.isMultipart() && request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const part = body.file as Part | undefined;
    const file = part && part.type === 'file' && part.toBuffer ? await part.toBuffer() : null;
    if (!file || file.length === 0) return renderUpload(request, reply, fundId, 'imports.fileRequired');
    const fileName = cleanText(part?.filename ?? '').slice(0, 200);
    const read = await readUpload(file, fileName, null);
    if (!read.ok) return renderUpload(request, reply, fundId, read.problem.key, read.problem.params);
    const sha256 = createHash('sha256').update(file).digest('hex');
    try {
      const staged = stageMoneyInUpload(app.db, request.actor!, fundId, { fileName, sha256, table: read.table }, app.clock.now(), cipher);
      reply.flash('success', staged.alreadyImported ? 'fundsMore.import.sameFile' : 'imports.uploaded');
      return reply.redirect(`${base(fundId)}/${staged.batchId}`, 303);
    } catch (error) {
      if (error instanceof InvalidInput) return renderUpload(request, reply, fundId, error.fieldErrors.file ?? 'errors.invalidInput');
      throw error;
    }
  });

  app.get('/admin/funds/:id/money-in/imports/:batchId', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).mapping;
    const savedMappingId = isId(raw) ? Number(raw) : null;
    return renderBatch(request, reply, pathId(request), batchParam(request), { savedMappingId });
  });

  app.post('/admin/funds/:id/money-in/imports/:batchId/dry-run', async (request, reply) => {
    const [fundId, id] = [pathId(request), batchParam(request)];
    const headers = loadMoneyInPage(app.db, request.actor!, fundId, id, { savedMappingId: null, cipher }).headers;
    const form = parseMoneyInMappingForm(request.body, headers.length);
    if (!form.ok) return renderBatch(request, reply, fundId, id, { values: form.values, errors: form.errors });
    dryRunMoneyIn(app.db, request.actor!, fundId, id, form.mapping, form.saveAs, app.clock.now(), cipher);
    return reply.redirect(`${base(fundId)}/${id}#preview`, 303);
  });

  app.post('/admin/funds/:id/money-in/imports/:batchId/commit', async (request, reply) => {
    const [fundId, id] = [pathId(request), batchParam(request)];
    commitMoneyIn(app.db, request.actor!, fundId, id, app.clock.now(), cipher);
    reply.flash('success', 'fundMoney.imported');
    return reply.redirect(`${base(fundId)}/${id}`, 303);
  });
}
