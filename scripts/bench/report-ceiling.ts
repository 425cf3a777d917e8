// The ceiling for the report page: the same template in the same app setup, rendered from data
// computed once at start. No session lookup, no database, no worker per request: what rendering
// alone costs. The data is assembled as server/routes/reports.ts assembles it; the bench checks
// that both pages come out the same, so a drift shows.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.js';
import { can, type Actor } from '../../server/domain/actor.js';
import { donutSegments, monthBars } from '../../server/domain/charts.js';
import { type Clock } from '../../server/domain/clock.js';
import { todayInTokyo } from '../../server/domain/dates.js';
import { computeSummary } from '../../server/domain/figures.js';
import { findFundPeriod, listLocksOverlapping, listReportFilters } from '../../server/domain/figures/filters.js';
import { nationalityName } from '../../server/domain/figures/labels.js';
import { approximateYen } from '../../server/domain/figures/public.js';
import { monthLabel, periodLabel, presetChoices } from '../../server/domain/periods.js';
import { parseReportQuery, reportQueryString } from '../../server/forms/report-query.js';
import { translator } from '../../server/i18n/index.js';

export const CEILING_PATH = '/__bench/report-ceiling';

export function registerReportCeiling(app: FastifyInstance, db: Db, clock: Clock, actor: Actor, query: { from: string; to: string }): void {
  const today = todayInTokyo(clock);
  const parsed = parseReportQuery(query, { today, fundPeriod: (id) => findFundPeriod(db, id) });
  if (!parsed.ok) throw new Error(`bench: bad report query ${JSON.stringify(parsed.errors)}`);
  const locale = actor.locale;
  const t = translator(locale);
  const summary = computeSummary(db, actor, parsed.query);
  const fixed = {
    // What the layout takes from the signed-in request's locals.
    t,
    locale,
    actor,
    can: (action: Parameters<typeof can>[1], record?: Parameters<typeof can>[2]) => can(actor, action, record),
    path: '/reports',
    // What the report route passes.
    title: t('reports.title'),
    filters: listReportFilters(db, actor),
    presets: presetChoices(today),
    values: parsed.values,
    periodLabel: (p: { from: string; to: string }) => periodLabel(p, locale),
    monthLabel: (m: string) => monthLabel(m, locale),
    nationalityName: (code: string) => nationalityName(code, locale),
    approxYen: (amount: number) => approximateYen(amount, locale),
    num: (n: number) => n.toLocaleString('en-US'),
    errors: {},
    summary,
    queryString: reportQueryString(parsed.query),
    locks: listLocksOverlapping(db, parsed.query),
    donut: donutSegments(summary.byCategory),
    bars: monthBars(summary.byMonth),
  };
  app.get(CEILING_PATH, async (_request, reply) => reply.view('reports/index.eta', fixed));
}
