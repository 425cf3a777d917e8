import { describe, expect, it } from 'vitest';
import { manualClock } from '../../server/domain/clock.js';
import { isCalendarDate, todayInTokyo } from '../../server/domain/dates.js';
import { formatYenCampaign } from '../../server/domain/format.js';
import {
  calendarYearPeriod,
  fiscalYearOf,
  fiscalYearPeriod,
  lastMonth,
  monthsBetween,
  parsePreset,
  periodLabel,
  periodProblem,
  thisMonth,
} from '../../server/domain/periods.js';
import { parseReportQuery, reportQueryString } from '../../server/forms/report-query.js';

const context = {
  today: '2025-06-15',
  fundPeriod: (id: number) => (id === 2 ? { from: '2024-10-01', to: '2025-09-30' } : id === 3 ? null : undefined),
};

describe('periods (SPEC §3)', () => {
  it('FY2024 is 2024-04-01..2025-03-31, and March belongs to the previous fiscal year', () => {
    expect(fiscalYearPeriod(2024)).toEqual({ from: '2024-04-01', to: '2025-03-31' });
    expect(fiscalYearOf('2025-03-31')).toBe(2024);
    expect(fiscalYearOf('2025-04-01')).toBe(2025);
    expect(fiscalYearOf('2025-01-01')).toBe(2024);
    expect(calendarYearPeriod(2024)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('this month and last month, across the new year and in a leap February', () => {
    expect(thisMonth('2025-06-15')).toEqual({ from: '2025-06-01', to: '2025-06-30' });
    expect(lastMonth('2025-01-10')).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    expect(lastMonth('2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('takes today from the clock in Asia/Tokyo', () => {
    // 2025-03-31T15:30Z is already 1 April in Tokyo: this month is April, the fiscal year 2025.
    const today = todayInTokyo(manualClock('2025-03-31T15:30:00Z'));
    expect(today).toBe('2025-04-01');
    expect(thisMonth(today)).toEqual({ from: '2025-04-01', to: '2025-04-30' });
    expect(fiscalYearOf(today)).toBe(2025);
  });

  it('knows real calendar dates and refuses bad ranges', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
    expect(periodProblem('2025-05-01', '2025-04-30')).toBe('periods.fromAfterTo');
    expect(periodProblem('2000-01-01', '2019-12-31')).toBeNull();
    expect(periodProblem('2000-01-01', '2020-01-01')).toBe('periods.tooLong');
  });

  it('lists every month of a range', () => {
    expect(monthsBetween('2024-11-15', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });

  it("labels periods in the network's style, in both languages", () => {
    expect(periodLabel({ from: '2023-07-01', to: '2025-08-31' }, 'ja')).toBe('2023年7月〜2025年8月');
    expect(periodLabel({ from: '2023-07-01', to: '2025-08-31' }, 'en')).toBe('July 2023 – August 2025');
    expect(periodLabel(fiscalYearPeriod(2024), 'ja')).toBe('2024年度');
    expect(periodLabel(fiscalYearPeriod(2024), 'en')).toBe('FY2024');
    expect(periodLabel(calendarYearPeriod(2024), 'ja')).toBe('2024年');
    expect(periodLabel({ from: '2025-06-01', to: '2025-06-30' }, 'ja')).toBe('2025年6月');
    expect(periodLabel({ from: '2025-06-03', to: '2025-06-20' }, 'ja')).toBe('2025年6月3日〜2025年6月20日');
    expect(periodLabel({ from: '2025-06-03', to: '2025-06-20' }, 'en')).toBe('3 Jun 2025 – 20 Jun 2025');
  });

  it('reads presets and nothing else', () => {
    expect(parsePreset('fy2024')).toEqual({ kind: 'fiscal-year', year: 2024 });
    expect(parsePreset('cy2023')).toEqual({ kind: 'calendar-year', year: 2023 });
    expect(parsePreset('fund-2')).toEqual({ kind: 'fund', fundId: 2 });
    for (const bad of ['fy24', 'fy1999', 'yesterday', 'fund-0', 'fund-x', 'FY2024']) expect(parsePreset(bad)).toBeNull();
  });
});

describe('the report query string', () => {
  it('defaults to this month', () => {
    const r = parseReportQuery({}, context);
    expect(r.ok && r.query).toEqual({ from: '2025-06-01', to: '2025-06-30', organizationId: null, fundId: null, includePending: false });
  });

  it('reads custom dates, filters and includePending', () => {
    const r = parseReportQuery({ from: '2023-07-01', to: '2025-08-31', org: '3', fund: '2', includePending: '1' }, context);
    expect(r.ok && r.query).toEqual({ from: '2023-07-01', to: '2025-08-31', organizationId: 3, fundId: 2, includePending: true });
    expect(r.ok && reportQueryString(r.query)).toBe('from=2023-07-01&to=2025-08-31&org=3&fund=2&includePending=1');
  });

  it('lets a preset win over dates, and a fund preset set the fund filter', () => {
    const fy = parseReportQuery({ preset: 'fy2024', from: '2020-01-01', to: '2020-01-02' }, context);
    expect(fy.ok && fy.query).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
    expect(fy.values).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
    const fund = parseReportQuery({ preset: 'fund-2' }, context);
    expect(fund.ok && fund.query).toMatchObject({ from: '2024-10-01', to: '2025-09-30', fundId: 2 });
  });

  it.each([
    [{ from: '2025-02-30', to: '2025-03-01' }, 'from', 'periods.invalidDate'],
    [{ from: '2025-05-01', to: '2025-04-01' }, 'to', 'periods.fromAfterTo'],
    [{ from: '2000-01-01', to: '2025-01-01' }, 'to', 'periods.tooLong'],
    [{ from: '2025-01-01' }, 'to', 'periods.required'],
    [{ preset: 'someday' }, 'preset', 'periods.unknownPreset'],
    [{ preset: 'fund-9' }, 'preset', 'periods.unknownPreset'],
    [{ preset: 'fund-3' }, 'preset', 'periods.fundHasNoPeriod'],
    [{ org: 'abc' }, 'org', 'reports.invalidOrganization'],
    [{ org: '-1' }, 'org', 'reports.invalidOrganization'],
    [{ fund: '1.5' }, 'fund', 'reports.invalidFund'],
    [{ includePending: 'maybe' }, 'includePending', 'reports.invalidQuery'],
    [{ from: ['2025-01-01', '2025-02-01'], to: '2025-03-01' }, '_form', 'reports.invalidQuery'],
  ])('refuses %j with a message', (input, field, key) => {
    const r = parseReportQuery(input, context);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[field]).toBe(key);
  });
});

describe('formatYenCampaign (SPEC §3)', () => {
  it.each([
    [17_644_244, '1,764万4,244円'],
    [120_000_000, '1億2,000万円'],
    [0, '0円'],
    [9_999, '9,999円'],
    [10_000, '1万円'],
    [6_580_000, '658万円'],
    [100_000_001, '1億1円'],
  ])('%d → %s', (amount, text) => {
    expect(formatYenCampaign(amount)).toBe(text);
  });
});
