import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const assets = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views/assets');

/** The installable app's public parts: the service worker (at the root, to cover every page) and the offline page. */
export async function offlineRoutes(app: FastifyInstance): Promise<void> {
  const worker = await readFile(path.join(assets, 'sw.js'));
  app.get('/sw.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(worker));

  // Cached by the service worker, so it carries no name, token or record: the list is filled on the device.
  app.get('/offline', async (request, reply) => reply.view('offline/index.eta', { title: request.t('offline.title'), bare: true }));
}
