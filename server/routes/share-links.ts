import { listPublicTargets } from '../domain/fund-money.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertCan } from '../domain/actor.js';
import { todayInTokyo } from '../domain/dates.js';
import { InvalidInput, NotFound } from '../domain/errors.js';
import { createFiguresRunner } from '../domain/figures-pool.js';
import { createShareLink, latestExpiry, listShareLinks, openShareLink, revokeShareLink } from '../domain/share-links.js';
import { parseForm, textValue, type FieldErrors } from '../forms/parse.js';
import { shareLinkForm, shareTokenParam } from '../forms/share-link.js';
import { reportLabels } from './report-labels.js';
import { pathId } from '../forms/params.js';

// The token is shown once, on the page the creation redirects to; it travels there in a
// short-lived cookie limited to this page, never in a URL the logs would keep.
const NEW_TOKEN_COOKIE = 'new-share-link';

/** GET /share/:token — the public summary of the link's period, for anyone holding the link. */
export async function shareRoutes(app: FastifyInstance): Promise<void> {
  const figures = createFiguresRunner(app.db);
  app.addHook('onClose', async () => figures.close());

  app.get('/share/:token', async (request, reply) => {
    // Whatever the answer, the address must not travel on as a Referer nor be indexed.
    reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
    const params = shareTokenParam.safeParse(request.params);
    const opening = params.success ? openShareLink(app.db, params.data.token, app.clock.now()) : ({ status: 'unknown' } as const);
    if (opening.status === 'unknown') throw new NotFound();
    if (opening.status === 'gone') return reply.code(410).view('share/gone.eta', { title: request.t('shareLinks.gone') });
    const scope = { ...opening.period, organizationId: null, fundId: null, includePending: false };
    const pub = await figures.run({ kind: 'sharedSummary', scope, threshold: app.config.publicSuppressionThreshold });
    // Opt-in campaign targets show here as on the public page (issue 14 §3): money raised only.
    return reply.view('share/show.eta', { title: request.t('reports.publicTitle'), pub, targets: listPublicTargets(app.db), ...reportLabels(request) });
  });
}

/** /share-links — coordinators and admins create, list and revoke links. */
export async function shareLinkAdminRoutes(app: FastifyInstance): Promise<void> {
  function render(request: FastifyRequest, reply: FastifyReply, state: { errors?: FieldErrors; values?: Record<string, string>; newUrl?: string | null } = {}) {
    const today = todayInTokyo(app.clock);
    return reply.view('share-links/index.eta', {
      title: request.t('shareLinks.title'),
      links: listShareLinks(app.db, request.actor!, app.clock.now()),
      errors: state.errors ?? {},
      values: state.values ?? { from: '', to: '', expiresOn: '' },
      newUrl: state.newUrl ?? null,
      today,
      latest: latestExpiry(today),
      threshold: app.config.publicSuppressionThreshold,
    });
  }

  app.get('/share-links', async (request, reply) => {
    assertCan(request.actor!, 'shareLinks.manage');
    const token = request.cookies[NEW_TOKEN_COOKIE];
    if (token) reply.clearCookie(NEW_TOKEN_COOKIE, { path: '/share-links' });
    const newUrl = token && /^[a-z2-7]{32}$/.test(token) ? `${app.config.isProduction ? 'https' : request.protocol}://${request.host}/share/${token}` : null;
    return render(request, reply, { newUrl });
  });

  app.post('/share-links', async (request, reply) => {
    const actor = request.actor!;
    assertCan(actor, 'shareLinks.manage');
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const values = { from: textValue(raw, 'from'), to: textValue(raw, 'to'), expiresOn: textValue(raw, 'expiresOn') };
    const form = parseForm(shareLinkForm, request.body);
    if (!form.ok) return render(request, reply.code(422), { errors: form.errors, values });
    try {
      const { token } = createShareLink(app.db, actor, form.data, todayInTokyo(app.clock), app.clock.now(), app.config.publicSuppressionThreshold);
      reply.setCookie(NEW_TOKEN_COOKIE, token, { path: '/share-links', httpOnly: true, sameSite: 'strict', secure: app.config.isProduction, maxAge: 120 });
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      return render(request, reply.code(422), { errors: error.fieldErrors, values });
    }
    return reply.redirect('/share-links', 303);
  });

  app.post('/share-links/:id/revoke', async (request, reply) => {
    const id = pathId(request);
    revokeShareLink(app.db, request.actor!, id, app.clock.now());
    reply.flash('success', 'shareLinks.revoked');
    return reply.redirect('/share-links', 303);
  });
}
