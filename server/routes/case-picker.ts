import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertCan } from '../domain/actor.js';
import { searchCasesFor } from '../domain/case-search.js';
import { DomainError } from '../domain/errors.js';
import { createFieldCipher, type FieldCipher } from '../domain/field-crypto.js';
import { caseListQuery, toCaseSearch } from '../forms/case-search.js';

const ciphers = new WeakMap<FastifyInstance, FieldCipher>();
export const cipherFor = (app: FastifyInstance): FieldCipher => {
  let cipher = ciphers.get(app);
  if (!cipher) ciphers.set(app, (cipher = createFieldCipher(app.config.dataKey)));
  return cipher;
};

/** GET /disbursements/new without a case: pick one (open cases, found by any part of the code). */
export function renderCasePicker(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cipher: FieldCipher) {
  const actor = request.actor!;
  assertCan(actor, 'disbursement.create');
  const query = caseListQuery.safeParse({ q: (request.query as Record<string, unknown>).q ?? '', status: 'open', sort: 'last_aid' });
  if (!query.success) throw new DomainError('errors.badRequest');
  const list = searchCasesFor(app.db, actor, toCaseSearch(query.data), cipher);
  return reply.view('disbursements/pick-case.eta', { title: request.t('picker.title'), q: query.data.q, list });
}
