import type { FastifyInstance } from 'fastify';
import { LOCALES } from '../domain/enums.js';
import { acknowledgmentOf } from '../domain/acknowledgment.js';
import { findDisbursementFor } from '../domain/disbursements.js';
import { parseAcknowledgmentQuery } from '../forms/acknowledgment.js';
import { translator } from '../i18n/index.js';
import { pathId } from '../forms/params.js';

/** Locales whose acknowledgment wording a native speaker has signed off (others are marked on screen). */
const REVIEWED = new Set(['ja']);

export async function acknowledgmentRoutes(app: FastifyInstance): Promise<void> {
  // 受領書: Japanese beside the recipient's language, printed and signed by hand, then photographed as a receipt.
  app.get('/disbursements/:id/acknowledgment', async (request, reply) => {
    const id = pathId(request);
    const { recipient, paper } = parseAcknowledgmentQuery(request.query, request.locale);
    const detail = findDisbursementFor(app.db, request.actor!, id);
    const languages = recipient === 'ja' ? (['ja'] as const) : (['ja', recipient] as const);
    const ack = acknowledgmentOf(detail, languages);
    return reply.view('disbursements/acknowledgment.eta', {
      title: request.t('acknowledgment.pageTitle', { id }),
      ack,
      paper,
      recipient,
      columns: languages.map((locale) => ({ locale, t: translator(locale), reviewed: REVIEWED.has(locale) })),
      // Each language named in itself.
      localeOptions: LOCALES.map((locale) => ({ value: locale, label: translator(locale)(`lang.${locale}`) })),
    });
  });
}
