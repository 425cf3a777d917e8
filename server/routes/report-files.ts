import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CsvEncoding, CsvOutcome } from '../domain/csv-export.js';
import type { XlsxFile } from '../domain/exports/workbooks.js';
import type { FiguresRunner } from '../domain/figures-pool.js';
import { recordReportExport, type ExportFormat } from '../domain/figures/export-audit.js';
import type { ReportQuery } from '../domain/figures.js';
import { parseCsvEncoding } from '../forms/export-encoding.js';
import { reportQueryString } from '../forms/report-query.js';
import { csvType, sendDownload, XLSX_TYPE } from './downloads.js';

const CSV_KINDS = { 'summary.csv': 'summaryCsv', 'ledger.csv': 'ledgerCsv', 'freee.csv': 'freeeCsv', 'moneyforward.csv': 'moneyforwardCsv' } as const;
const XLSX_KINDS = { 'ledger.xlsx': 'ledgerXlsx', 'summary.xlsx': 'summaryXlsx' } as const;

const fileName = (format: string, query: ReportQuery, encoding: CsvEncoding | null) => {
  const [name, extension] = format.split('.') as [string, string];
  return `${name}_${query.from}_${query.to}${query.includePending ? '_with-pending' : ''}${encoding === 'sjis' ? '_sjis' : ''}.${extension}`;
};

/**
 * The files of a report (SPEC §6, §10): CSV (UTF-8 with BOM, or `?encoding=sjis`), XLSX, and the
 * freee / MoneyForward presets. Same query and scope as the page; built on the figures worker;
 * each download is an audit event. A character Shift_JIS cannot hold answers 422 with where it is.
 */
export function registerReportFiles(app: FastifyInstance, figures: FiguresRunner, requireQuery: (request: FastifyRequest) => ReportQuery): void {
  const sendCsv = (request: FastifyRequest, reply: FastifyReply, format: ExportFormat, query: ReportQuery, encoding: CsvEncoding, outcome: CsvOutcome) => {
    if (!outcome.ok) {
      return reply.code(422).view('reports/unmappable.eta', {
        title: request.t('exports.sjis.title'),
        problems: outcome.unmappable.slice(0, 200),
        more: Math.max(0, outcome.unmappable.length - 200),
        utf8Url: `/reports/${format}?${reportQueryString(query)}`,
        backUrl: `/reports?${reportQueryString(query)}`,
      });
    }
    recordReportExport(app.db, request.actor!, { format, query, rows: outcome.rows, encoding }, app.clock.now());
    return sendDownload(reply, csvType(encoding), fileName(format, query, encoding), outcome.body);
  };

  for (const [format, kind] of Object.entries(CSV_KINDS) as [keyof typeof CSV_KINDS, (typeof CSV_KINDS)[keyof typeof CSV_KINDS]][]) {
    app.get(`/reports/${format}`, async (request, reply) => {
      const query = requireQuery(request);
      const encoding = parseCsvEncoding(request.query);
      const outcome = await figures.run({ kind, actor: request.actor!, query, locale: request.locale, encoding });
      return sendCsv(request, reply, format, query, encoding, outcome);
    });
  }

  for (const [format, kind] of Object.entries(XLSX_KINDS) as [keyof typeof XLSX_KINDS, (typeof XLSX_KINDS)[keyof typeof XLSX_KINDS]][]) {
    app.get(`/reports/${format}`, async (request, reply) => {
      const query = requireQuery(request);
      const file: XlsxFile = await figures.run({ kind, actor: request.actor!, query, locale: request.locale, now: app.clock.now().toISOString() });
      recordReportExport(app.db, request.actor!, { format, query, rows: file.rows }, app.clock.now());
      return sendDownload(reply, XLSX_TYPE, fileName(format, query, null), file.body);
    });
  }
}
