import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RESIDENCE_STATUSES } from '../domain/enums.js';
import { searchCasesFor } from '../domain/case-search.js';
import { canSearchByAlias, listCaseOrganizations } from '../domain/cases.js';
import { DomainError } from '../domain/errors.js';
import { createFieldCipher } from '../domain/field-crypto.js';
import { countriesByName } from '../domain/nationalities.js';
import { PREFECTURES } from '../domain/prefectures.js';
import { aliasSearchForm, caseListQuery, caseListQueryString, toCaseSearch, type CaseListQuery } from '../forms/case-search.js';
import { dataLocale } from '../i18n/languages.js';

/**
 * The case list: GET /cases finds by any part of the code and filters (all safe in a URL);
 * POST /cases/search adds the exact alias, which must never reach a URL or a log line.
 */
export async function caseListRoutes(app: FastifyInstance): Promise<void> {
  const cipher = createFieldCipher(app.config.dataKey);

  const render = (request: FastifyRequest, reply: FastifyReply, query: CaseListQuery, alias: string | undefined) => {
    const actor = request.actor!;
    const list = searchCasesFor(app.db, actor, toCaseSearch(query, alias), cipher);
    return reply.view('cases/index.eta', {
      title: request.t('cases.title'),
      q: query.q,
      filter: query,
      byAlias: alias !== undefined && alias.trim() !== '',
      isFiltered: caseListQueryString({ ...query, q: '' }, 1) !== 'page=1',
      list,
      aliasSearch: canSearchByAlias(actor),
      showOrganization: actor.role !== 'supporter',
      options: {
        organizations: actor.role === 'supporter' ? [] : listCaseOrganizations(app.db),
        nationalities: countriesByName(request.locale),
        prefectures: PREFECTURES.map((p) => ({ code: p.code, name: p[dataLocale(request.locale)] })),
        residenceStatuses: RESIDENCE_STATUSES,
      },
      pageUrl: (page: number) => `/cases?${caseListQueryString(query, page)}`,
    });
  };

  app.get('/cases', async (request, reply) => {
    const query = caseListQuery.safeParse(request.query);
    if (!query.success) throw new DomainError('errors.badRequest');
    return render(request, reply, query.data, undefined);
  });

  app.post('/cases/search', async (request, reply) => {
    const form = aliasSearchForm.safeParse(request.body ?? {});
    if (!form.success) throw new DomainError('errors.badRequest');
    const { alias, ...query } = form.data;
    return render(request, reply, query, alias);
  });
}
