import { z } from 'zod';
import type { ReportQuery } from '../domain/figures.js';
import { parsePreset, periodProblem, presetPeriod, type Period } from '../domain/periods.js';
import { isId } from './params.js';

/** A query-string value: one string; repeated keys (arrays) are malformed. */
const param = z.string().max(64).optional();

const rawQuery = z.object({
  preset: param,
  from: param,
  to: param,
  org: param,
  fund: param,
  round: param,
  includePending: param,
});

/** What the filter form shows again: the strings as sent, or as a preset resolved them. */
export interface ReportQueryValues {
  preset: string;
  from: string;
  to: string;
  org: string;
  fund: string;
  round: string;
  includePending: boolean;
}

export type ReportQueryResult =
  { ok: true; query: ReportQuery; values: ReportQueryValues } | { ok: false; errors: Record<string, string>; values: ReportQueryValues };

export interface ReportQueryContext {
  /** Today in Asia/Tokyo, YYYY-MM-DD. */
  today: string;
  /** A fund's own period: undefined when there is no such fund, null when it has no full period. */
  fundPeriod(fundId: number): Period | null | undefined;
}

/**
 * GET /reports?preset=&from=&to=&org=&fund=&round=&includePending=1 → a ReportQuery, or message keys per
 * field (the routes answer 400). No period at all means this month; a preset wins over dates.
 */
export function parseReportQuery(input: unknown, context: ReportQueryContext): ReportQueryResult {
  const parsed = rawQuery.safeParse(input ?? {});
  const empty: ReportQueryValues = { preset: '', from: '', to: '', org: '', fund: '', round: '', includePending: false };
  if (!parsed.success) return { ok: false, errors: { _form: 'reports.invalidQuery' }, values: empty };
  const raw = parsed.data;
  const errors: Record<string, string> = {};
  const values: ReportQueryValues = {
    preset: raw.preset ?? '',
    from: raw.from ?? '',
    to: raw.to ?? '',
    org: raw.org ?? '',
    fund: raw.fund ?? '',
    round: raw.round ?? '',
    includePending: raw.includePending === '1' || raw.includePending === 'on' || raw.includePending === 'true',
  };
  if (raw.includePending !== undefined && !['', '0', '1', 'on', 'true', 'false'].includes(raw.includePending)) {
    errors.includePending = 'reports.invalidQuery';
  }
  const id = (value: string, key: string, message: string): number | null => {
    if (value === '') return null;
    if (isId(value)) return Number(value);
    errors[key] = message;
    return null;
  };
  const organizationId = id(values.org, 'org', 'reports.invalidOrganization');
  let fundId = id(values.fund, 'fund', 'reports.invalidFund');
  const roundId = id(values.round, 'round', 'reports.invalidRound');

  let period: Period | null = null;
  const hasDates = values.from !== '' || values.to !== '';
  if (values.preset === '' && !hasDates) values.preset = 'this-month';
  if (values.preset === '') values.preset = 'custom';
  const preset = parsePreset(values.preset);
  if (!preset) errors.preset = 'periods.unknownPreset';
  else if (preset.kind === 'fund') {
    const found = context.fundPeriod(preset.fundId);
    if (found === undefined) errors.preset = 'periods.unknownPreset';
    else if (found === null) errors.preset = 'periods.fundHasNoPeriod';
    else {
      period = found;
      fundId = preset.fundId;
      values.fund = String(preset.fundId);
    }
  } else if (preset.kind === 'custom') {
    if (values.from === '') errors.from = 'periods.required';
    if (values.to === '') errors.to = 'periods.required';
    if (values.from !== '' && values.to !== '') {
      const problem = periodProblem(values.from, values.to);
      if (problem === 'periods.invalidDate') {
        if (periodProblem(values.from, values.from)) errors.from = problem;
        if (periodProblem(values.to, values.to)) errors.to = problem;
      } else if (problem) errors.to = problem;
      else period = { from: values.from, to: values.to };
    }
  } else period = presetPeriod(preset, context.today);

  if (period && preset?.kind !== 'custom') {
    values.from = period.from;
    values.to = period.to;
  }
  if (!period || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const query: ReportQuery = { from: period.from, to: period.to, organizationId, fundId, includePending: values.includePending };
  return { ok: true, query: roundId === null ? query : { ...query, roundId }, values };
}

/** The same query as a query string, for links to the JSON, CSV and public views. */
export function reportQueryString(query: ReportQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.organizationId !== null) params.set('org', String(query.organizationId));
  if (query.fundId !== null) params.set('fund', String(query.fundId));
  if (query.roundId !== undefined && query.roundId !== null) params.set('round', String(query.roundId));
  if (query.includePending) params.set('includePending', '1');
  return params.toString();
}
