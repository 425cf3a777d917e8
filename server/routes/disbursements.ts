import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInTokyo } from '../domain/dates.js';
import { mayEditDisbursement, findDisbursementFor, loadDisbursementForEdit, updateDisbursement, type DisbursementDetail } from '../domain/disbursements.js';
import { InvalidInput } from '../domain/errors.js';
import { findLockCovering } from '../domain/period-locks.js';
import { reviewPanelFor } from '../domain/review-page.js';
import { queueOnRecordPage } from '../forms/review.js';
import { attachReceipts, assertCanAttach, mayAttachReceipt, discardReceipts, storeReceipts } from '../domain/receipts.js';
import { formVersion, parseDisbursementForm, type DisbursementFormValues } from '../forms/disbursement.js';
import { ClientGone, isClientGone } from '../plugins/client-gone.js';
import { listFlags } from '../domain/limits.js';
import { parseAcknowledgement } from '../forms/limits.js';
import { addCreateRoutes } from './disbursement-create.js';
import { pathId } from '../forms/params.js';
import { acceptUploads, bodyOf, formView, paramsOf, prepareAll, warningsOf, type Errors, type Params } from './disbursement-form-parts.js';

function valuesFromDetail(detail: DisbursementDetail): DisbursementFormValues {
  const { d } = detail;
  const lines = detail.lines.map((l) => ({ category: l.code, amount: String(l.amount) }));
  return {
    caseId: String(d.caseId),
    paidOn: d.paidOn,
    fundId: String(d.fundId),
    method: d.method,
    peopleCovered: String(d.peopleCovered),
    payee: d.payee ?? '',
    note: d.note ?? '',
    lines,
    idempotencyKey: '',
    version: String(d.version),
  };
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

  addCreateRoutes(app);

  app.get('/disbursements/:id', async (request, reply) => {
    const detail = findDisbursementFor(app.db, request.actor!, pathId(request));
    return reply.view('disbursements/show.eta', showView(request, detail));
  });

  const renderEdit = (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: DisbursementFormValues | null,
    errors: Errors,
    errorParams: Params,
    warnings: unknown[] = [],
  ) => {
    const ctx = loadDisbursementForEdit(app.db, request.actor!, id);
    const view = formView(request, ctx, values ?? valuesFromDetail(ctx.detail), {
      title: request.t('disbursements.editTitle', { id }),
      theCase: { id: ctx.detail.d.caseId, code: ctx.detail.caseCode },
      detail: ctx.detail,
      errors,
      errorParams,
      warnings,
      ack: parseAcknowledgement(request.body).values,
    });
    return reply.code(values ? 422 : 200).view('disbursements/edit.eta', view);
  };

  app.get('/disbursements/:id/edit', async (request, reply) => renderEdit(request, reply, pathId(request), null, {}, {}));

  app.post('/disbursements/:id', async (request, reply) => {
    const id = pathId(request);
    const form = parseDisbursementForm(bodyOf(request).fields, { today: today() });
    if (!form.ok) return renderEdit(request, reply, id, form.values, form.errors, {});
    try {
      updateDisbursement(
        app.db,
        request.actor!,
        id,
        { ...form.data, version: formVersion(form.values), acknowledgement: parseAcknowledgement(bodyOf(request).fields).value },
        app.clock.now(),
      );
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
