import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { METHODS } from '../domain/enums.js';
import { DisbursementRulesBroken } from '../domain/disbursements.js';
import { Busy, InvalidInput } from '../domain/errors.js';
import { MAX_RECEIPT_BYTES, MAX_RECEIPTS, prepareReceipt, type PreparedReceipt } from '../domain/receipts.js';
import { MAX_LINES, rowsToShow, splitMultipartBody, typedTotal, type DisbursementFormValues } from '../forms/disbursement.js';
import { ClientGone, isClientGone } from '../plugins/client-gone.js';
import { categoryLabel, type Category } from '../domain/categories.js';
import { WarningsUnacknowledged } from '../domain/limits.js';
import type { Fund } from '../domain/funds.js';

// The pieces the new and edit forms share: multipart limits, upload checks and the view model.
export type Errors = Record<string, string>;
export type Params = Record<string, string | number>;
export interface FormLists {
  categories: Category[];
  funds: Fund[];
}

/** Multipart only here (SPEC §6 receipts), with explicit limits; fields land in request.body before CSRF runs. */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
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

export const bodyOf = (request: FastifyRequest) =>
  request.isMultipart() ? splitMultipartBody(request.body, 'receipt') : { fields: request.body, files: [] as Buffer[] };

/**
 * Check and clean every upload, before any transaction; the first refusal becomes the `receipt`
 * field's message. A full HEIC queue is a refusal too: the form comes back with what was typed
 * instead of a 503 page that loses it. A client that has left stops the work between files.
 */
export async function prepareAll(request: FastifyRequest, files: Buffer[]): Promise<{ prepared: PreparedReceipt[]; errors: Errors }> {
  try {
    const prepared: PreparedReceipt[] = [];
    for (const file of files) {
      if (isClientGone(request)) throw new ClientGone();
      prepared.push(await prepareReceipt(file));
    }
    return { prepared, errors: {} };
  } catch (error) {
    if (error instanceof InvalidInput) return { prepared: [], errors: error.fieldErrors };
    if (error instanceof Busy) {
      request.log.warn({ status: 422 }, error.messageKey);
      return { prepared: [], errors: { receipt: 'receipts.heicBusy' } };
    }
    throw error;
  }
}

export const paramsOf = (error: unknown): Params => (error instanceof DisbursementRulesBroken ? error.errorParams : {});
/** Cap and duplicate warnings the form shows, with the fields to go past them (issue 14 §2). */
export const warningsOf = (error: unknown) => (error instanceof WarningsUnacknowledged ? error.warnings : []);

export function formView(request: FastifyRequest, lists: FormLists, values: DisbursementFormValues, extra: Record<string, unknown>) {
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
    fundOptions: lists.funds.map((f) => ({ value: String(f.id), label: f.isDefault ? t('phones.fundDefault', { name: f.name }) : f.name })),
    defaultFundName: lists.funds.find((f) => f.isDefault)?.name ?? null,
    methodOptions: METHODS.map((m) => ({ value: m, label: t(`methods.${m}`) })),
    ...extra,
  };
}
