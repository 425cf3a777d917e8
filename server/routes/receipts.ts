import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../domain/errors.js';
import { openReceiptFor } from '../domain/receipts.js';
import { findThumbnailSource, thumbnailBytes } from '../domain/receipt-thumbs.js';
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

  // The queue's inline picture: same scope check, a small cached copy, private to the browser.
  app.get('/receipts/:id/thumb', async (request, reply) => {
    const source = findThumbnailSource(app.db, request.actor!, idParam(request.params));
    const bytes = await thumbnailBytes(app.config.dataDir, source.storageName);
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=300').header('x-content-type-options', 'nosniff').send(bytes);
  });
}
