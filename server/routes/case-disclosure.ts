import type { FastifyInstance } from 'fastify';
import { discloseCase } from '../domain/disclosure.js';
import { NotFound } from '../domain/errors.js';
import { createFieldCipher } from '../domain/field-crypto.js';

/** 開示請求: one printable page of everything held about a case, for the person who asked. */
export async function caseDisclosureRoutes(app: FastifyInstance): Promise<void> {
  const deps = { cipher: createFieldCipher(app.config.dataKey, app.config.previousDataKeys), clock: app.clock };

  app.get('/cases/:id/disclosure', async (request, reply) => {
    const raw = (request.params as { id?: string }).id ?? '';
    if (!/^[1-9][0-9]{0,9}$/.test(raw)) throw new NotFound();
    const disclosure = discloseCase(app.db, request.actor!, Number(raw), deps);
    return reply.view('cases/disclosure.eta', { title: request.t('disclosure.title', { code: disclosure.record.code }), ...disclosure });
  });
}
