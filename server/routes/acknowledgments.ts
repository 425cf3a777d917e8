import type { FastifyInstance } from 'fastify';
import { LOCALES, type Locale } from '../domain/enums.js';
import { acknowledgmentOf } from '../domain/acknowledgment.js';
import { findDisbursementFor } from '../domain/disbursements.js';
import { parseAcknowledgmentQuery } from '../forms/acknowledgment.js';
import { pathId } from '../forms/params.js';
import { htmlLang, languageMeta, translator } from '../i18n/index.js';

/**
 * The English 受領書 wording is still under review although the English UI is signed off
 * (a statement about money that need not be repaid needs a careful reader); other languages
 * follow their _meta.json.
 */
const ACK_UNDER_REVIEW = new Set<Locale>(['en']);
const ackReviewed = (locale: Locale) => languageMeta[locale].reviewed && !ACK_UNDER_REVIEW.has(locale);

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
      columns: languages.map((locale) => ({ locale, lang: htmlLang(locale), t: translator(locale, { ruby: true }), reviewed: ackReviewed(locale) })),
      // Each language named in itself.
      localeOptions: LOCALES.map((locale) => ({ value: locale, lang: htmlLang(locale), label: languageMeta[locale].name })),
    });
  });
}
