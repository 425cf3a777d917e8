import type { FastifyInstance, FastifyRequest } from 'fastify';
import { donutSegments, monthBars } from '../domain/charts.js';
import { todayInTokyo } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import { createFiguresRunner } from '../domain/figures-pool.js';
import { recordReportExport } from '../domain/figures/export-audit.js';
import { findFundPeriod, listLocksOverlapping, listReportFilters } from '../domain/figures/filters.js';
import { listPublicTargets } from '../domain/fund-money.js';
import type { ReportQuery } from '../domain/figures.js';
import { presetChoices } from '../domain/periods.js';
import { parseReportQuery, reportQueryString } from '../forms/report-query.js';
import { countCountedWithoutReceipt } from '../domain/missing-receipts.js';
import { registerReportFiles } from './report-files.js';
import { getOrganization } from '../domain/organizations.js';
import { periodLabel } from '../domain/periods.js';
import { formatDate } from '../domain/date-labels.js';
import { printHeaderCss } from '../domain/print-header.js';
import { reportLabels } from './report-labels.js';

/** SPEC §6 reports: the page, summary.json, the public summary; the files in report-files.ts. */
export async function reportRoutes(app: FastifyInstance): Promise<void> {
  // Figures and CSV run on a worker thread with its own read-only connection (issue 5, part 7).
  const figures = createFiguresRunner(app.db, app.metrics.figures);
  app.addHook('onClose', async () => figures.close());

  const readQuery = (request: FastifyRequest) =>
    parseReportQuery(request.query, { today: todayInTokyo(app.clock), fundPeriod: (id) => findFundPeriod(app.db, id) });
  /** For the files: a malformed query is a 400 with its message, never a 500. */
  const requireQuery = (request: FastifyRequest): ReportQuery => {
    const parsed = readQuery(request);
    if (!parsed.ok) throw new DomainError(Object.values(parsed.errors)[0] ?? 'reports.invalidQuery');
    return parsed.query;
  };
  const labels = reportLabels;

  app.get('/reports', async (request, reply) => {
    const actor = request.actor!;
    const parsed = readQuery(request);
    const page = {
      title: request.t('reports.title'),
      filters: listReportFilters(app.db, actor),
      presets: presetChoices(todayInTokyo(app.clock)),
      values: parsed.values,
      ...labels(request),
    };
    if (!parsed.ok) return reply.code(400).view('reports/index.eta', { ...page, errors: parsed.errors, summary: null });
    // A preset wins over the dates the form also sent: answer with the address of what is shown,
    // so a copied link says the period it displays.
    const raw = request.query as Record<string, string | undefined>;
    const canonical = `preset=${encodeURIComponent(parsed.values.preset)}&${reportQueryString(parsed.query)}`;
    if (raw.preset && raw.preset !== 'custom' && (raw.from !== parsed.query.from || raw.to !== parsed.query.to)) {
      return reply.redirect(`/reports?${canonical}`, 303);
    }
    const summary = await figures.run({ kind: 'summary', actor, query: parsed.query });
    return reply.view('reports/index.eta', {
      ...page,
      errors: {},
      summary,
      queryString: reportQueryString(parsed.query),
      locks: listLocksOverlapping(app.db, parsed.query),
      withoutReceipt: countCountedWithoutReceipt(app.db, actor, parsed.query),
      donut: donutSegments(summary.byCategory),
      bars: monthBars(summary.byMonth),
    });
  });

  // The printed report's header and footer: organization, period, print date, page numbers (issue 16 §3).
  app.get('/reports/print.css', async (request, reply) => {
    const query = requireQuery(request);
    const period = `${periodLabel(query, request.locale)} (${formatDate(query.from, request.locale)} – ${formatDate(query.to, request.locale)})`;
    const organization = getOrganization(app.db, request.actor!.organizationId).name;
    const css = printHeaderCss({ organization, period, printedOn: request.t('phones.printedOn', { date: todayInTokyo(app.clock) }) });
    return reply.type('text/css; charset=utf-8').header('cache-control', 'private, no-store').send(css);
  });

  // The public summary never counts pending money, whatever the query says (SPEC §8).
  const publicSummary = (request: FastifyRequest) => {
    const query = { ...requireQuery(request), includePending: false };
    return figures
      .run({ kind: 'publicSummary', actor: request.actor!, query, threshold: app.config.publicSuppressionThreshold })
      .then((pub) => ({ pub, query }));
  };

  app.get('/reports/public', async (request, reply) => {
    const { pub, query } = await publicSummary(request);
    return reply.view('reports/public.eta', {
      title: request.t('reports.publicTitle'),
      pub,
      targets: listPublicTargets(app.db),
      queryString: reportQueryString(query),
      ...labels(request),
    });
  });

  app.get('/reports/public.json', async (request, reply) => {
    const { pub } = await publicSummary(request);
    return reply.type('application/json; charset=utf-8').send(pub);
  });

  app.get('/reports/summary.json', async (request, reply) => {
    const actor = request.actor!;
    const query = requireQuery(request);
    const summary = await figures.run({ kind: 'summary', actor, query });
    recordReportExport(app.db, actor, { format: 'summary.json', query, rows: summary.byCategory.length }, app.clock.now());
    return reply.type('application/json; charset=utf-8').send(summary);
  });

  registerReportFiles(app, figures, requireQuery);
}
