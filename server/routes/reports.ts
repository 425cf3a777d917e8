import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { donutSegments, monthBars } from '../domain/charts.js';
import { todayInTokyo } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { createFiguresRunner } from '../domain/figures-pool.js';
import { recordReportExport } from '../domain/figures/export-audit.js';
import { findFundPeriod, listLocksOverlapping, listReportFilters } from '../domain/figures/filters.js';
import { nationalityName } from '../domain/figures/labels.js';
import { approximateYen, toPublicSummary } from '../domain/figures/public.js';
import type { CsvFile } from '../domain/csv-export.js';
import type { ReportQuery } from '../domain/figures.js';
import { monthLabel, periodLabel, presetChoices } from '../domain/periods.js';
import { parseReportQuery, reportQueryString } from '../forms/report-query.js';

/** SPEC §6 reports: the page, summary.json, summary.csv, ledger.csv, and the public summary. */
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
  const labels = (request: FastifyRequest) => ({
    periodLabel: (p: { from: string; to: string }) => periodLabel(p, request.locale),
    monthLabel: (m: string) => monthLabel(m, request.locale),
    nationalityName: (code: string) => nationalityName(code, request.locale),
    approxYen: (amount: number) => approximateYen(amount, request.locale),
    num: (n: number) => n.toLocaleString('en-US'),
  });

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
      donut: donutSegments(summary.byCategory),
      bars: monthBars(summary.byMonth),
    });
  });

  app.get('/reports/public', async (request, reply) => {
    const query = requireQuery(request);
    const summary = await figures.run({ kind: 'summary', actor: request.actor!, query });
    return reply.view('reports/public.eta', {
      title: request.t('reports.publicTitle'),
      pub: toPublicSummary(summary, app.config.publicSuppressionThreshold),
      queryString: reportQueryString(query),
      ...labels(request),
    });
  });

  app.get('/reports/summary.json', async (request, reply) => {
    const actor = request.actor!;
    const query = requireQuery(request);
    const summary = await figures.run({ kind: 'summary', actor, query });
    recordReportExport(app.db, actor, { format: 'summary.json', query, rows: summary.byCategory.length }, app.clock.now());
    return reply.type('application/json; charset=utf-8').send(summary);
  });

  const sendCsv = (reply: FastifyReply, name: string, query: ReportQuery, file: CsvFile) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}_${query.from}_${query.to}${query.includePending ? '_with-pending' : ''}.csv"`)
      .send(Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength));

  app.get('/reports/summary.csv', async (request, reply) => {
    const actor = request.actor!;
    const query = requireQuery(request);
    const file = await figures.run({ kind: 'summaryCsv', actor, query, locale: request.locale });
    recordReportExport(app.db, actor, { format: 'summary.csv', query, rows: file.rows }, app.clock.now());
    return sendCsv(reply, 'summary', query, file);
  });

  app.get('/reports/ledger.csv', async (request, reply) => {
    const actor = request.actor!;
    const query = requireQuery(request);
    const file = await figures.run({ kind: 'ledgerCsv', actor, query, locale: request.locale });
    recordReportExport(app.db, actor, { format: 'ledger.csv', query, rows: file.rows }, app.clock.now());
    return sendCsv(reply, 'ledger', query, file);
  });
}
