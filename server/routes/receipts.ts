import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../domain/errors.js';
import { openReceiptFor } from '../domain/receipts.js';
import { idParam } from '../forms/disbursement.js';

/** GET /receipts/:id: never a public path; only through the disbursement's scope, as a download. */
export async function receiptRoutes(app: FastifyInstance): Promise<void> {
  app.get('/receipts/:id', async (request, reply) => {
    const file = openReceiptFor(app.db, request.actor!, idParam(request.params), app.config.dataDir, app.clock.now());
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch {
      throw new NotFound();
    }
    return reply
      .type(file.mediaType)
      .header('content-disposition', `attachment; filename="${file.downloadName}"`)
      .header('x-content-type-options', 'nosniff')
      .send(bytes);
  });
}
