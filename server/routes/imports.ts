import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInTokyo } from '../domain/dates.js';
import { toCsv } from '../domain/csv-export.js';
import { InvalidInput } from '../domain/errors.js';
import { createFieldCipher } from '../domain/field-crypto.js';
import { assertMayImport, listBatchesFor, listImportOrganizations } from '../domain/imports/batches.js';
import { confirmBatch, undoBatch } from '../domain/imports/decisions.js';
import { listRowProblems } from '../domain/imports/dry-run.js';
import { batchHeaders, loadBatchPage } from '../domain/imports/page.js';
import { createImportRunner } from '../domain/imports/import-pool.js';
import { MAX_IMPORT_BYTES } from '../domain/imports/read-upload.js';
import { parseMappingForm, valuesOf, type MappingValues } from '../forms/import-mapping.js';
import { readUploadForm } from '../forms/import-upload.js';
import { batchView } from './imports-view.js';
import { isId, pathId } from '../forms/params.js';
import { csvType, sendDownload } from './downloads.js';

type Errors = Record<string, string>;

/** /imports: upload (step 1), mapping and dry run (2, 3), commit (4), four-eyes confirm, undo. */
export async function importRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 20, fieldSize: 1000, parts: 25 } });
  // Parsing, dry run and commit run on the import thread, so other requests keep their pace.
  const runner = createImportRunner(app.db, app.config.dataKey, app.config.previousDataKeys);
  app.addHook('onClose', async () => runner.close());
  // A 50,000-row step can outlast the server's 30 s idle-socket timeout on a busy machine: the
  // import's own POSTs get three minutes before their connection counts as idle.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'POST') request.raw.socket?.setTimeout?.(180_000);
  });
  const today = () => todayInTokyo(app.clock);
  const cipher = createFieldCipher(app.config.dataKey);

  const renderNew = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    errors: Errors,
    errorParams: Record<string, string | number>,
    values: { organizationId: string; sheet: string },
  ) =>
    reply.code(status).view('imports/new.eta', {
      title: request.t('imports.newTitle'),
      organizations: listImportOrganizations(app.db, request.actor!),
      errors,
      errorParams,
      values,
      isCoordinator: request.actor!.role === 'coordinator',
    });

  app.get('/imports', async (request, reply) =>
    reply.view('imports/index.eta', { title: request.t('imports.title'), batches: listBatchesFor(app.db, request.actor!) }),
  );

  app.get('/imports/new', async (request, reply) => renderNew(request, reply, 200, {}, {}, { organizationId: '', sheet: '' }));

  app.post('/imports', async (request, reply) => {
    const actor = request.actor!;
    assertMayImport(actor, actor.role === 'coordinator' ? undefined : actor.organizationId);
    const form = await readUploadForm(request.isMultipart() ? request.body : null, actor);
    if (!form.ok) return renderNew(request, reply, 422, form.errors, {}, form.values);
    const sha256 = createHash('sha256').update(form.file).digest('hex');
    try {
      const bytes = new Uint8Array(form.file);
      const staged = await runner.run({
        kind: 'upload',
        bytes,
        fileName: form.fileName,
        sheet: form.sheet,
        actor,
        organizationId: form.organizationId,
        sha256,
        now: app.clock.now().toISOString(),
      });
      if (!staged.ok) {
        const status = staged.problem.key === 'imports.tooLarge' ? 413 : 422;
        return renderNew(request, reply, status, { file: staged.problem.key }, staged.problem.params ?? {}, form.values);
      }
      reply.flash('success', staged.alreadyImported ? 'imports.sameFile' : 'imports.uploaded');
      return reply.redirect(`/imports/${staged.batchId}`, 303);
    } catch (error) {
      if (error instanceof InvalidInput) return renderNew(request, reply, 422, error.fieldErrors, {}, form.values);
      throw error;
    }
  });

  app.get('/imports/:id', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).mapping;
    const savedMappingId = isId(raw) ? Number(raw) : null;
    const page = loadBatchPage(app.db, request.actor!, pathId(request), { today: today(), savedMappingId, cipher });
    return reply.view('imports/show.eta', batchView(request, page, valuesOf(page.mapping), {}));
  });

  app.post('/imports/:id/dry-run', async (request, reply) => {
    const id = pathId(request);
    const actor = request.actor!;
    // The page (a pass over every staged row) is read only to show an error: the dry run reads the rows on the import thread.
    const form = parseMappingForm(request.body, batchHeaders(app.db, actor, id).length);
    const render = (values: MappingValues, errors: Errors) =>
      reply
        .code(422)
        .view('imports/show.eta', batchView(request, loadBatchPage(app.db, actor, id, { today: today(), savedMappingId: null, cipher }), values, errors));
    if (!form.ok) return render(form.values, form.errors);
    try {
      await runner.run({ kind: 'dryRun', actor, batchId: id, mapping: form.mapping, today: today(), saveAs: form.saveAs, now: app.clock.now().toISOString() });
    } catch (error) {
      if (error instanceof InvalidInput) return render(form.values, error.fieldErrors);
      throw error;
    }
    return reply.redirect(`/imports/${id}#preview`, 303);
  });

  app.get('/imports/:id/errors.csv', async (request, reply) => {
    const id = pathId(request);
    batchHeaders(app.db, request.actor!, id); // the scope check: another group's batch is a 404
    const t = request.t;
    const rows = listRowProblems(app.db, id).map((p) => [p.rowNumber, t(`imports.field.${p.field}`), t(p.key, p.params)]);
    const file = toCsv([t('imports.col.row'), t('imports.col.field'), t('imports.col.reason')], rows);
    return sendDownload(reply, csvType(), `import-${id}-errors.csv`, file.body);
  });

  app.post('/imports/:id/commit', async (request, reply) => {
    const id = pathId(request);
    await runner.run({ kind: 'commit', actor: request.actor!, batchId: id, today: today(), now: app.clock.now().toISOString() });
    reply.flash('success', 'imports.committed');
    return reply.redirect(`/imports/${id}`, 303);
  });

  app.post('/imports/:id/confirm', async (request, reply) => {
    const id = pathId(request);
    confirmBatch(app.db, request.actor!, id, app.clock.now());
    reply.flash('success', 'imports.confirmed');
    return reply.redirect(`/imports/${id}`, 303);
  });

  app.post('/imports/:id/undo', async (request, reply) => {
    const id = pathId(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const reason = typeof body.reason === 'string' ? body.reason.slice(0, 1000) : '';
    try {
      undoBatch(app.db, request.actor!, id, reason, app.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const page = loadBatchPage(app.db, request.actor!, id, { today: today(), savedMappingId: null, cipher });
      return reply.code(422).view('imports/show.eta', batchView(request, page, valuesOf(page.mapping), error.fieldErrors));
    }
    reply.flash('success', 'imports.undone');
    return reply.redirect(`/imports/${id}`, 303);
  });
}
