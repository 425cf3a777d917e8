import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { METHODS } from '../domain/enums.js';
import { todayInTokyo } from '../domain/dates.js';
import { createDisbursement, DisbursementRulesBroken, mayEditDisbursement, findDisbursementFor, loadDisbursementForEdit, loadNewDisbursementForm, updateDisbursement, type DisbursementDetail } from '../domain/disbursements.js';
import { DomainError, InvalidInput } from '../domain/errors.js';
import { newFormKey } from '../domain/idempotency.js';
import { findLockCovering } from '../domain/period-locks.js';
import { reviewPanelFor } from '../domain/review-page.js';
import { cipherFor, renderCasePicker } from './case-picker.js';
import { queueOnRecordPage } from '../forms/review.js';
import { attachReceipts, assertCanAttach, mayAttachReceipt, discardReceipts, MAX_RECEIPT_BYTES, MAX_RECEIPTS, prepareReceipt, storeReceipts, type PreparedReceipt } from '../domain/receipts.js';
import { formKey, formVersion, MAX_LINES, parseDisbursementForm, rowsToShow, splitMultipartBody, typedTotal, type DisbursementFormValues } from '../forms/disbursement.js';
import { ClientGone, isClientGone } from '../plugins/client-gone.js';
import { categoryLabel, type Category } from '../domain/categories.js';
import { listFlags, WarningsUnacknowledged } from '../domain/limits.js';
import { parseAcknowledgement } from '../forms/limits.js';
import type { Fund } from '../domain/funds.js';
import { pathId, requiredQueryId } from '../forms/params.js';

type Errors = Record<string, string>;
type Params = Record<string, string | number>;
interface FormLists {
  categories: Category[];
  funds: Fund[];
}

/** Multipart only here (SPEC §6 receipts), with explicit limits; fields land in request.body before CSRF runs. */
async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    onFile: async (part) => {
      try {
        await part.toBuffer();
      } catch (error) {
        // Over a limit keeps its 413; a body cut short is the client's fault, not a 500.
        if (error instanceof Error && 'statusCode' in error) throw error;
        throw Object.assign(new Error('upload ended early'), { statusCode: 400, code: 'UPLOAD_INCOMPLETE' });
      }
    },
    limits: { fileSize: MAX_RECEIPT_BYTES, files: MAX_RECEIPTS, fields: 200, fieldSize: 16_384, fieldNameSize: 100, parts: 210 },
  });
}

const bodyOf = (request: FastifyRequest) =>
  request.isMultipart() ? splitMultipartBody(request.body, 'receipt') : { fields: request.body, files: [] as Buffer[] };

/**
 * Check and clean every upload, before any transaction; the first refusal becomes the `receipt`
 * field's message. A client that has left stops the work between files.
 */
async function prepareAll(request: FastifyRequest, files: Buffer[]): Promise<{ prepared: PreparedReceipt[]; errors: Errors }> {
  try {
    const prepared: PreparedReceipt[] = [];
    for (const file of files) {
      if (isClientGone(request)) throw new ClientGone();
      prepared.push(await prepareReceipt(file));
    }
    return { prepared, errors: {} };
  } catch (error) {
    if (error instanceof InvalidInput) return { prepared: [], errors: error.fieldErrors };
    throw error;
  }
}

const paramsOf = (error: unknown): Params => (error instanceof DisbursementRulesBroken ? error.errorParams : {});
/** Cap and duplicate warnings the form shows, with the fields to go past them (issue 14 §2). */
const warningsOf = (error: unknown) => (error instanceof WarningsUnacknowledged ? error.warnings : []);

function formView(request: FastifyRequest, lists: FormLists, values: DisbursementFormValues, extra: Record<string, unknown>) {
  const t = request.t;
  return {
    values,
    rows: rowsToShow(values.lines),
    typedTotal: typedTotal(values.lines),
    errors: {},
    errorParams: {},
    maxLines: MAX_LINES,
    maxReceipts: MAX_RECEIPTS,
    categoryOptions: lists.categories.map((c) => ({ value: c.code, label: categoryLabel(c, request.locale) })),
    fundOptions: lists.funds.map((f) => ({ value: String(f.id), label: f.name })),
    methodOptions: METHODS.map((m) => ({ value: m, label: t(`methods.${m}`) })),
    ...extra,
  };
}

function valuesFromDetail(detail: DisbursementDetail): DisbursementFormValues {
  const { d } = detail;
  const lines = detail.lines.map((l) => ({ category: l.code, amount: String(l.amount) }));
  return { caseId: String(d.caseId), paidOn: d.paidOn, fundId: String(d.fundId), method: d.method, peopleCovered: String(d.peopleCovered), payee: d.payee ?? '', note: d.note ?? '', lines, idempotencyKey: '', version: String(d.version) };
}

export function showView(request: FastifyRequest, detail: DisbursementDetail, errors: Errors = {}) {
  // A record dated in a locked period offers no actions at all (they would all be refused).
  const isLocked = findLockCovering(request.server.db, detail.d.paidOn) !== undefined;
  const actor = request.actor!;
  return {
    title: request.t('disbursements.showTitle', { id: detail.d.id }),
    detail,
    disbursement: detail.d,
    errors,
    isLocked,
    ...reviewPanelFor(request.server.db, actor, detail.d, isLocked),
    queue: queueOnRecordPage(request),
    canEdit: mayEditDisbursement(actor, detail.d),
    canAttach: mayAttachReceipt(actor, detail.d, detail.receipts.length),
    flags: listFlags(request.server.db, [detail.d.id]).get(detail.d.id) ?? [],
  };
}

export async function disbursementRoutes(app: FastifyInstance): Promise<void> {
  await acceptUploads(app);
  const today = () => todayInTokyo(app.clock);

  app.get('/disbursements/new', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).case;
    // 「支給を記録」 from the home page: choose the case first.
    if (raw === undefined) return renderCasePicker(app, request, reply, cipherFor(app));
    const ctx = loadNewDisbursementForm(app.db, request.actor!, requiredQueryId(raw));
    const values: DisbursementFormValues = {
      caseId: String(ctx.theCase.id),
      paidOn: today(),
      fundId: ctx.defaultFundId === null ? '' : String(ctx.defaultFundId),
      method: '',
      peopleCovered: String(ctx.theCase.householdSize),
      payee: '',
      note: '',
      lines: [],
      idempotencyKey: newFormKey(),
      version: '',
    };
    return reply.view('disbursements/new.eta', formView(request, ctx, values, { title: request.t('disbursements.newTitle'), theCase: ctx.theCase }));
  });

  app.post('/disbursements', async (request, reply) => {
    const { fields, files } = bodyOf(request);
    const form = parseDisbursementForm(fields, { today: today() });
    const ack = parseAcknowledgement(fields);
    const key = formKey(form.values);
    const caseId = Number(form.values.caseId);
    if (!key || !Number.isSafeInteger(caseId) || caseId < 1) throw new DomainError('errors.badRequest');
    const ctx = loadNewDisbursementForm(app.db, request.actor!, caseId);
    const render = (errors: Errors, errorParams: Params, warnings: unknown[] = []) =>
      reply.code(422).view('disbursements/new.eta', formView(request, ctx, form.values, { title: request.t('disbursements.newTitle'), theCase: ctx.theCase, errors, errorParams, receiptsDropped: files.length > 0, warnings, ack: ack.values }));
    const uploads = await prepareAll(request, files);
    if (!form.ok || Object.keys(uploads.errors).length > 0) return render({ ...(form.ok ? {} : form.errors), ...uploads.errors }, {});
    const stored = await storeReceipts(app.config.dataDir, uploads.prepared);
    let result: { location: string; replayed: boolean };
    try {
      if (isClientGone(request)) throw new ClientGone();
      result = createDisbursement(app.db, request.actor!, { ...form.data, acknowledgement: ack.value, idempotencyKey: key, receipts: stored }, app.clock.now());
    } catch (error) {
      await discardReceipts(app.config.dataDir, stored);
      if (error instanceof InvalidInput) return render(error.fieldErrors, paramsOf(error), warningsOf(error));
      throw error;
    }
    // A repeat of the same form answers the first result; its files are already recorded.
    if (result.replayed) await discardReceipts(app.config.dataDir, stored);
    else reply.flash('success', 'disbursements.created');
    return reply.redirect(result.location, 303);
  });

  app.get('/disbursements/:id', async (request, reply) => {
    const detail = findDisbursementFor(app.db, request.actor!, pathId(request));
    return reply.view('disbursements/show.eta', showView(request, detail));
  });

  const renderEdit = (request: FastifyRequest, reply: FastifyReply, id: number, values: DisbursementFormValues | null, errors: Errors, errorParams: Params, warnings: unknown[] = []) => {
    const ctx = loadDisbursementForEdit(app.db, request.actor!, id);
    const view = formView(request, ctx, values ?? valuesFromDetail(ctx.detail), { title: request.t('disbursements.editTitle', { id }), theCase: { id: ctx.detail.d.caseId, code: ctx.detail.caseCode }, detail: ctx.detail, errors, errorParams, warnings, ack: parseAcknowledgement(request.body).values });
    return reply.code(values ? 422 : 200).view('disbursements/edit.eta', view);
  };

  app.get('/disbursements/:id/edit', async (request, reply) => renderEdit(request, reply, pathId(request), null, {}, {}));

  app.post('/disbursements/:id', async (request, reply) => {
    const id = pathId(request);
    const form = parseDisbursementForm(bodyOf(request).fields, { today: today() });
    if (!form.ok) return renderEdit(request, reply, id, form.values, form.errors, {});
    try {
      updateDisbursement(app.db, request.actor!, id, { ...form.data, version: formVersion(form.values), acknowledgement: parseAcknowledgement(bodyOf(request).fields).value }, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderEdit(request, reply, id, form.values, error.fieldErrors, paramsOf(error), warningsOf(error));
      throw error;
    }
    reply.flash('success', 'disbursements.updated');
    return reply.redirect(`/disbursements/${id}`, 303);
  });

  app.post('/disbursements/:id/receipts', async (request, reply) => {
    const id = pathId(request);
    const actor = request.actor!;
    // Refuse a disbursement the actor may not touch before doing any work on the upload.
    assertCanAttach(app.db, actor, id);
    const render = (errors: Errors) => reply.code(422).view('disbursements/show.eta', showView(request, findDisbursementFor(app.db, actor, id), errors));
    const { files } = bodyOf(request);
    if (files.length === 0) return render({ receipt: 'receipts.required' });
    const uploads = await prepareAll(request, files);
    if (Object.keys(uploads.errors).length > 0) return render(uploads.errors);
    const stored = await storeReceipts(app.config.dataDir, uploads.prepared);
    try {
      if (isClientGone(request)) throw new ClientGone();
      attachReceipts(app.db, actor, id, stored, app.clock.now());
    } catch (error) {
      await discardReceipts(app.config.dataDir, stored);
      if (error instanceof InvalidInput) return render(error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'receipts.attached');
    return reply.redirect(`/disbursements/${id}`, 303);
  });
}
