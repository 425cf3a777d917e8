import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RECEIVED_BY } from '../domain/enums.js';
import { acceptLostReceipt, checkLostReceiptDeclaration, declareLostReceipt, listMissingReceipts } from '../domain/missing-receipts.js';
import { lostReceiptForm } from '../forms/lost-receipt.js';
import { parseForm, type FieldErrors } from '../forms/parse.js';
import { pathId } from '../forms/params.js';

/** Approved records still without a receipt, and the 領収書紛失届 that closes one. */
export async function missingReceiptRoutes(app: FastifyInstance): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, failed: { id: number; errors: FieldErrors; values: Record<string, unknown> } | null) =>
    reply.code(failed ? 422 : 200).view('receipts/missing.eta', {
      title: request.t('missing.title'),
      items: listMissingReceipts(app.db, request.actor!, app.clock.now()),
      receivedByOptions: RECEIVED_BY,
      failed,
    });

  app.get('/receipts/missing', async (request, reply) => render(request, reply, null));

  app.post('/disbursements/:id/lost-receipt', async (request, reply) => {
    const id = pathId(request);
    checkLostReceiptDeclaration(app.db, request.actor!, id);
    const form = parseForm(lostReceiptForm, request.body);
    if (!form.ok) return render(request, reply, { id, errors: form.errors, values: form.values });
    declareLostReceipt(app.db, request.actor!, id, form.data, app.clock.now());
    reply.flash('success', 'missing.flash.declared');
    return reply.redirect('/receipts/missing', 303);
  });

  app.post('/disbursements/:id/lost-receipt/accept', async (request, reply) => {
    acceptLostReceipt(app.db, request.actor!, pathId(request), app.clock.now());
    reply.flash('success', 'missing.flash.accepted');
    return reply.redirect('/receipts/missing', 303);
  });
}
