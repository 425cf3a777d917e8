import type { FastifyInstance, FastifyRequest } from 'fastify';
import { todayInTokyo } from '../domain/dates.js';
import { requiredQueryId } from '../forms/params.js';
import { createDisbursement, loadNewDisbursementForm } from '../domain/disbursements.js';
import { DomainError, InvalidInput } from '../domain/errors.js';
import { findHeldReceipts, holdReceipts, readHeldReceipts, releaseHeldReceipts, type HeldReceipt } from '../domain/held-receipts.js';
import { newFormKey } from '../domain/idempotency.js';
import { discardReceipts, MAX_RECEIPTS, storeReceipts, type PreparedReceipt } from '../domain/receipts.js';
import { formKey, parseDisbursementForm, type DisbursementFormValues } from '../forms/disbursement.js';
import { parseHeldReceipts } from '../forms/held-receipts.js';
import { parseAcknowledgement } from '../forms/limits.js';
import { ClientGone, isClientGone } from '../plugins/client-gone.js';
import { cipherFor, renderCasePicker } from './case-picker.js';
import { bodyOf, formView, paramsOf, prepareAll, warningsOf, type Errors, type Params } from './disbursement-form-parts.js';

/**
 * Receipts that passed their checks are held for this session when the form comes back with an
 * error (issue 16 §1), so the re-rendered form shows them instead of asking to choose them again.
 */
async function keepForRetry(request: FastifyRequest, held: HeldReceipt[], fresh: PreparedReceipt[]): Promise<HeldReceipt[]> {
  const app = request.server;
  if (fresh.length === 0 || held.length + fresh.length > MAX_RECEIPTS) return held;
  return [...held, ...(await holdReceipts(app.db, app.config.dataDir, request.session!.sessionId, fresh, app.clock.now()))];
}

/** GET /disbursements/new and POST /disbursements, inside the multipart-enabled disbursement context. */
export function addCreateRoutes(app: FastifyInstance): void {
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
    return reply.view(
      'disbursements/new.eta',
      formView(request, ctx, values, { title: request.t('disbursements.newTitle'), theCase: ctx.theCase, defaultFundId: ctx.defaultFundId, heldReceipts: [] }),
    );
  });

  app.post('/disbursements', async (request, reply) => {
    const { fields, files } = bodyOf(request);
    const form = parseDisbursementForm(fields, { today: today() });
    const ack = parseAcknowledgement(fields);
    const key = formKey(form.values);
    const caseId = Number(form.values.caseId);
    if (!key || !Number.isSafeInteger(caseId) || caseId < 1) throw new DomainError('errors.badRequest');
    const ctx = loadNewDisbursementForm(app.db, request.actor!, caseId);
    const { dataDir } = app.config;
    const sessionId = request.session!.sessionId;
    const tokens = parseHeldReceipts(fields);
    await releaseHeldReceipts(app.db, dataDir, sessionId, tokens.drop);
    const found = findHeldReceipts(app.db, sessionId, tokens.keep, app.clock.now());
    const uploads = await prepareAll(request, files);
    const render = async (errors: Errors, errorParams: Params, warnings: unknown[] = []) => {
      const held = Object.keys(uploads.errors).length > 0 ? found.held : await keepForRetry(request, found.held, uploads.prepared);
      const receiptsDropped = files.length > 0 && held.length < found.held.length + files.length && !errors.receipt;
      const view = {
        title: request.t('disbursements.newTitle'),
        theCase: ctx.theCase,
        defaultFundId: ctx.defaultFundId,
        errors,
        errorParams,
        receiptsDropped,
        heldReceipts: held,
        warnings,
        ack: ack.values,
      };
      return reply.code(422).view('disbursements/new.eta', formView(request, ctx, form.values, view));
    };
    const receiptErrors: Errors = found.missing > 0 ? { receipt: 'phones.heldExpired' } : {};
    if (!form.ok || Object.keys(uploads.errors).length > 0 || found.missing > 0)
      return render({ ...(form.ok ? {} : form.errors), ...receiptErrors, ...uploads.errors }, {});
    const fromHeld = await readHeldReceipts(app.db, dataDir, sessionId, found.held, app.clock.now());
    const stored = await storeReceipts(dataDir, [...fromHeld, ...uploads.prepared]);
    let result: { location: string; replayed: boolean };
    try {
      if (isClientGone(request)) throw new ClientGone();
      result = createDisbursement(app.db, request.actor!, { ...form.data, acknowledgement: ack.value, idempotencyKey: key, receipts: stored }, app.clock.now());
    } catch (error) {
      await discardReceipts(dataDir, stored);
      if (error instanceof InvalidInput) return render(error.fieldErrors, paramsOf(error), warningsOf(error));
      throw error;
    }
    // The held files are now the record's own copies (or, for a replay, already were).
    await releaseHeldReceipts(
      app.db,
      dataDir,
      sessionId,
      found.held.map((h) => h.token),
    );
    // A repeat of the same form answers the first result; its files are already recorded.
    if (result.replayed) await discardReceipts(dataDir, stored);
    else reply.flash('success', 'disbursements.created');
    return reply.redirect(result.location, 303);
  });
}
