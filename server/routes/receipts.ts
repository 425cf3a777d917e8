import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { openReceiptFor } from '../domain/receipts.js';
import { findThumbnailSource, thumbnailBytes } from '../domain/receipt-thumbs.js';
import { heldThumbnail } from '../domain/held-receipts.js';
import { pathId } from '../forms/params.js';

/** GET /receipts/:id: never a public path; only through the disbursement's scope, as a download. */
export async function receiptRoutes(app: FastifyInstance): Promise<void> {
  app.get('/receipts/:id', async (request, reply) => {
    const id = pathId(request);
    const file = openReceiptFor(app.db, request.actor!, id, app.config.dataDir, app.clock.now());
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch (error) {
      // The record exists and may be seen: a file that cannot be read is our failure, not a 404.
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
      request.log.error({ receiptId: id, code }, 'stored receipt could not be read');
      throw new Error(`stored receipt ${id} could not be read (${code})`, { cause: error });
    }
    return reply
      .type(file.mediaType)
      .header('content-disposition', `attachment; filename="${file.downloadName}"`)
      .header('x-content-type-options', 'nosniff')
      .send(bytes);
  });

  // The queue's inline picture: same scope check, a small cached copy, private to the browser.
  app.get('/receipts/:id/thumb', async (request, reply) => {
    const source = findThumbnailSource(app.db, request.actor!, pathId(request));
    const bytes = await thumbnailBytes(app.config.dataDir, source.storageName);
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=300').header('x-content-type-options', 'nosniff').send(bytes);
  });

  // A receipt held across a form error (issue 16 §1): only the session that sent it sees it.
  app.get('/receipts/held/:token/thumb', async (request, reply) => {
    const token = String((request.params as { token?: unknown }).token ?? '');
    const bytes = await heldThumbnail(app.db, app.config.dataDir, request.session!.sessionId, token, app.clock.now());
    return reply.type('image/jpeg').header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').send(bytes);
  });
}
