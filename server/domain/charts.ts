// Geometry for the report's inline SVG charts: plain numbers and path strings, no markup.
// Print in black and white must still read, so each category also gets a fill pattern.

const round = (n: number) => Math.round(n * 100) / 100;

export interface DonutSegment {
  index: number;
  code: string;
  /** SVG path of the ring segment. */
  path: string;
  share: number;
}

export const DONUT = { size: 240, outer: 100, inner: 58 } as const;

function point(radius: number, fraction: number): [number, number] {
  // From 12 o'clock, clockwise.
  const angle = fraction * 2 * Math.PI - Math.PI / 2;
  const c = DONUT.size / 2;
  return [round(c + radius * Math.cos(angle)), round(c + radius * Math.sin(angle))];
}

function ringPath(start: number, end: number): string {
  const { outer, inner } = DONUT;
  const large = end - start > 0.5 ? 1 : 0;
  const [x1, y1] = point(outer, start);
  const [x2, y2] = point(outer, end);
  const [x3, y3] = point(inner, end);
  const [x4, y4] = point(inner, start);
  return `M${x1} ${y1}A${outer} ${outer} 0 ${large} 1 ${x2} ${y2}L${x3} ${y3}A${inner} ${inner} 0 ${large} 0 ${x4} ${y4}Z`;
}

/**
 * Ring segments in category order, sized by exact amounts (not the rounded shares). A segment
 * covering the whole ring is drawn as two halves: an SVG arc cannot start and end at one point.
 */
export function donutSegments(items: readonly { code: string; amount: number; share: number }[]): DonutSegment[] {
  const total = items.reduce((s, i) => s + i.amount, 0);
  if (total <= 0) return [];
  const segments: DonutSegment[] = [];
  let start = 0;
  items.forEach((item, index) => {
    if (item.amount <= 0) return;
    const end = start + item.amount / total;
    const path = end - start >= 0.9999 ? `${ringPath(0, 0.5)}${ringPath(0.5, 1)}` : ringPath(start, end);
    segments.push({ index, code: item.code, path, share: item.share });
    start = end;
  });
  return segments;
}

export interface Bar {
  month: string;
  x: number;
  y: number;
  width: number;
  height: number;
  amount: number;
  /** Show the month under this bar (every bar when few, fewer when many). */
  showLabel: boolean;
}

export interface BarChart {
  width: number;
  height: number;
  /** The plot's baseline and top. */
  baseY: number;
  top: number;
  left: number;
  bars: Bar[];
  /** Horizontal guide lines with their values. */
  ticks: { y: number; value: number }[];
}

/** A "nice" axis maximum: 1, 2 or 5 × a power of ten at or above the largest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function monthBars(months: readonly { month: string; amount: number }[]): BarChart {
  const left = 64;
  const top = 12;
  const plotHeight = 180;
  const slot = months.length > 36 ? 10 : months.length > 12 ? 18 : 36;
  const width = left + Math.max(1, months.length) * slot + 8;
  const max = niceMax(Math.max(0, ...months.map((m) => m.amount)));
  const baseY = top + plotHeight;
  const every = Math.ceil(months.length / 12);
  const bars = months.map((m, i) => {
    const height = round((m.amount / max) * plotHeight);
    return { month: m.month, x: left + i * slot + 2, y: round(baseY - height), width: slot - 4, height, amount: m.amount, showLabel: i % every === 0 };
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: round(baseY - f * plotHeight), value: Math.round(max * f) }));
  return { width, height: baseY + 56, baseY, top, left, bars, ticks };
}
