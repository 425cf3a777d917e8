import type { FastifyInstance } from 'fastify';
import { discloseCase } from '../domain/disclosure.js';
import { createFieldCipher } from '../domain/field-crypto.js';
import { pathId } from '../forms/params.js';

/** 開示請求: one printable page of everything held about a case, for the person who asked. */
export async function caseDisclosureRoutes(app: FastifyInstance): Promise<void> {
  const deps = { cipher: createFieldCipher(app.config.dataKey, app.config.previousDataKeys), clock: app.clock };

  app.get('/cases/:id/disclosure', async (request, reply) => {
    const disclosure = discloseCase(app.db, request.actor!, pathId(request), deps);
    return reply.view('cases/disclosure.eta', { title: request.t('disclosure.title', { code: disclosure.record.code }), ...disclosure });
  });
}
