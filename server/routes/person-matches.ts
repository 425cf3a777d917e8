import type { FastifyInstance } from 'fastify';
import { MATCH_DECISIONS } from '../domain/enums.js';
import { DomainError } from '../domain/errors.js';
import { decideMatch, listPossibleMatches } from '../domain/person-matches.js';
import { isId } from '../forms/params.js';
import { textValue } from '../forms/parse.js';

/** Possible same person across groups (issue 14 ★): the network office only, by case code only. */
export async function personMatchRoutes(app: FastifyInstance): Promise<void> {
  app.get('/person-matches', async (request, reply) =>
    reply.view('person-matches/index.eta', { title: request.t('matches.title'), matches: listPossibleMatches(app.db, request.actor!) }),
  );

  app.post('/person-matches/decide', async (request, reply) => {
    const actor = request.actor!;
    // The role first (403), then the form (400): a supporter learns nothing from a malformed request.
    listPossibleMatches(app.db, actor);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const [a, b, decision] = [textValue(raw, 'caseA'), textValue(raw, 'caseB'), textValue(raw, 'decision')];
    if (!isId(a) || !isId(b) || !(MATCH_DECISIONS as readonly string[]).includes(decision)) throw new DomainError('errors.badRequest');
    decideMatch(app.db, actor, { caseA: Number(a), caseB: Number(b) }, decision as (typeof MATCH_DECISIONS)[number], app.clock.now());
    reply.flash('success', 'matches.decided');
    return reply.redirect('/person-matches', 303);
  });
}
