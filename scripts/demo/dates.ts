/** Calendar arithmetic on YYYY-MM-DD strings (UTC noon avoids any daylight-saving edge). */
const toTime = (date: string) => Date.parse(`${date}T12:00:00Z`);
const fromTime = (time: number) => new Date(time).toISOString().slice(0, 10);
const DAY = 86_400_000;

export function addDays(date: string, days: number): string {
  return fromTime(toTime(date) + days * DAY);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toTime(to) - toTime(from)) / DAY);
}

export function lastDayOfMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return fromTime(Date.UTC(y, m, 0, 12));
}

export function addMonths(ym: string, months: number): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1, 12));
  return d.toISOString().slice(0, 7);
}

export interface MonthSpan {
  /** YYYY-MM */
  month: string;
  /** First and last day of the month that lie inside the range asked for. */
  first: string;
  last: string;
}

/** The calendar months touching from..to, each clipped to the range. */
export function monthsBetween(from: string, to: string): MonthSpan[] {
  const spans: MonthSpan[] = [];
  for (let ym = from.slice(0, 7); ym <= to.slice(0, 7); ym = addMonths(ym, 1)) {
    const first = `${ym}-01` < from ? from : `${ym}-01`;
    const end = lastDayOfMonth(ym);
    spans.push({ month: ym, first, last: end > to ? to : end });
  }
  return spans;
}

/** A whole calendar month as a span. */
export function wholeMonth(ym: string): MonthSpan {
  return { month: ym, first: `${ym}-01`, last: lastDayOfMonth(ym) };
}

/** Japanese fiscal year (April–March) a date falls in: 2024-02-10 → 2023. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 4 ? year : year - 1;
}

/** A timestamp on `date` at a Tokyo office hour, as the ISO instant the database stores. */
export function atTokyoHour(date: string, hour: number, minute: number): string {
  const utcHour = hour - 9;
  if (utcHour < 0 || utcHour > 14) throw new RangeError('office hours only: the UTC date must stay the Tokyo date');
  return `${date}T${String(utcHour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;
}
