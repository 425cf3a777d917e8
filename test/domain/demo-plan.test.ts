import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDemo } from '../../scripts/demo/plan.js';
import { SeededRandom } from '../../scripts/demo/random.js';
import {
  allocateCategoryAmounts,
  assertTargetsPlausible,
  CAMPAIGN_TARGETS,
  DEMO_CATEGORIES,
  ImplausibleTargets,
  targetTenths,
  type DemoTargets,
} from '../../scripts/demo/targets.js';
import type { DemoPlan } from '../../scripts/demo/types.js';
import { percentShares } from '../../server/domain/shares.js';

/** The figures the plan promises, computed from the plan alone (the database test checks the report). */
function countedFigures(plan: DemoPlan) {
  const { from, to } = plan.targets;
  const counted = plan.disbursements.filter((d) => d.status === 'approved' && d.paidOn >= from && d.paidOn <= to);
  const amounts = DEMO_CATEGORIES.map((c) =>
    counted
      .flatMap((d) => d.lines)
      .filter((l) => l.category === c)
      .reduce((s, l) => s + l.amount, 0),
  );
  return {
    total: amounts.reduce((s, a) => s + a, 0),
    people: counted.reduce((s, d) => s + d.peopleCovered, 0),
    shares: Object.fromEntries(DEMO_CATEGORIES.map((c, i) => [c, percentShares(amounts)[i]])),
    counted,
  };
}

describe('target shares and category amounts', () => {
  it('fills the unnamed categories with what the published shares leave', () => {
    const tenths = targetTenths(CAMPAIGN_TARGETS.shares);
    expect(tenths.slice(0, 4)).toEqual([373, 269, 144, 113]);
    expect(tenths.reduce((s, t) => s + t, 0)).toBe(1000);
    expect(tenths.slice(4).every((t) => t > 0)).toBe(true);
  });

  it('splits the campaign total into amounts whose rounded shares are exactly the published ones', () => {
    const amounts = allocateCategoryAmounts(17_644_244, targetTenths(CAMPAIGN_TARGETS.shares));
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(17_644_244);
    expect(percentShares(amounts).slice(0, 4)).toEqual([37.3, 26.9, 14.4, 11.3]);
  });

  it('lands exactly for any total from ¥10,000 and any shares', () => {
    const tenthsArb = fc
      .array(fc.nat(1000), { minLength: 7, maxLength: 7 })
      .filter((w) => w.some((x) => x > 0))
      .map((w) => targetTenthsFromWeights(w));
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 9_000_000_000 }), tenthsArb, (total, tenths) => {
        const amounts = allocateCategoryAmounts(total, tenths);
        expect(amounts.reduce((s, a) => s + a, 0)).toBe(total);
        expect(percentShares(amounts).map((s) => Math.round(s * 10))).toEqual(tenths);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses targets it cannot reach honestly', () => {
    const base = CAMPAIGN_TARGETS;
    expect(() => assertTargetsPlausible({ ...base, shares: { shelter: 37.35 } })).toThrow(ImplausibleTargets);
    expect(() => assertTargetsPlausible({ ...base, total: 9_999 })).toThrow(ImplausibleTargets);
    expect(() => assertTargetsPlausible({ ...base, from: '2025-09-01' })).toThrow(ImplausibleTargets);
    expect(() => targetTenths({ shelter: 60, food: 50 })).toThrow(ImplausibleTargets);
  });
});

/** Seven non-negative weights → tenths summing to 1000 (what a set of published shares is). */
function targetTenthsFromWeights(weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const tenths = weights.map((w) => Math.floor((w * 1000) / sum));
  tenths[weights.indexOf(Math.max(...weights))]! += 1000 - tenths.reduce((s, t) => s + t, 0);
  return tenths;
}

describe('the demo plan', () => {
  const plan = planDemo();

  it('reaches the campaign figures: ¥17,644,244 for のべ491人, shares 37.3/26.9/14.4/11.3', () => {
    const figures = countedFigures(plan);
    expect(figures.total).toBe(17_644_244);
    expect(figures.people).toBe(491);
    expect(figures.shares).toMatchObject({ shelter: 37.3, food: 26.9, medical: 14.4, utilities: 11.3 });
    expect(figures.counted.every((d) => d.counted)).toBe(true);
    expect(plan.disbursements.filter((d) => d.counted)).toHaveLength(figures.counted.length);
  });

  it('is the same plan every time (seeded, no Math.random)', () => {
    expect(planDemo()).toEqual(plan);
    expect(planDemo(CAMPAIGN_TARGETS, 7).cases.map((c) => c.code)).not.toEqual(plan.cases.map((c) => c.code));
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('gives case codes as the app does and keeps every record consistent with its case', () => {
    const codes = plan.cases.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of plan.cases) {
      expect(c.code).toBe(`${c.orgCode}-${c.codeYear}-${String(c.codeSeq).padStart(4, '0')}`);
      expect(Number(c.openedOn.slice(0, 4))).toBe(c.codeYear);
      expect(c.status === 'closed').toBe(c.closedOn !== null);
    }
    const byCode = new Map(plan.cases.map((c) => [c.code, c]));
    for (const d of plan.disbursements) {
      const c = byCode.get(d.caseCode)!;
      expect(d.peopleCovered).toBeGreaterThanOrEqual(1);
      expect(d.peopleCovered).toBeLessThanOrEqual(c.householdSize);
      expect(d.paidOn >= c.openedOn).toBe(true);
      if (c.closedOn) expect(d.paidOn <= c.closedOn).toBe(true);
      expect(d.lines.length).toBeGreaterThanOrEqual(1);
      expect(d.lines.length).toBeLessThanOrEqual(4);
      expect(new Set(d.lines.map((l) => l.category)).size).toBe(d.lines.length);
      if (d.lines.some((l) => l.category === 'other')) expect(d.note).toBeTruthy();
    }
  });

  it('looks like a network: a dozen groups in different prefectures, a few hundred cases, a monthly rhythm', () => {
    const partners = plan.organizations.filter((o) => o.code !== 'NET');
    expect(partners.length).toBeGreaterThanOrEqual(10);
    expect(new Set(partners.map((o) => o.prefecture)).size).toBe(partners.length);
    expect(plan.organizations.every((o) => /^[A-Z]{2,6}$/.test(o.code))).toBe(true);
    expect(plan.cases.length).toBeGreaterThanOrEqual(150);
    const months = new Set(countedFigures(plan).counted.map((d) => d.paidOn.slice(0, 7)));
    expect(months.size).toBe(26);
    expect(plan.disbursements.some((d) => d.lines.length > 1)).toBe(true);
    expect(plan.disbursements.some((d) => d.lines.length === 1)).toBe(true);
    const sizes = plan.cases.map((c) => c.householdSize);
    expect(sizes.filter((s) => s <= 4).length / sizes.length).toBeGreaterThan(0.85);
  });

  it('is built from the targets: other periods, totals, のべ人数 and shares land exactly too', () => {
    const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2025, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));
    const targetsArb = fc
      .record({
        from: day,
        days: fc.integer({ min: 60, max: 900 }),
        people: fc.integer({ min: 5, max: 800 }),
        perPerson: fc.integer({ min: 1_000, max: 150_000 }),
        named: fc.array(fc.nat(250), { minLength: 4, maxLength: 4 }),
      })
      .map(({ from, days, people, perPerson, named }): DemoTargets => {
        const to = new Date(Date.parse(from) + days * 86_400_000).toISOString().slice(0, 10);
        const shares = Object.fromEntries(DEMO_CATEGORIES.slice(0, 4).map((c, i) => [c, named[i]! / 10]));
        return { from, to, total: Math.max(10_000, people * perPerson + (named[0]! % 997)), peopleCumulative: people, shares };
      });
    fc.assert(
      fc.property(targetsArb, (targets) => {
        const figures = countedFigures(planDemo(targets));
        expect(figures.total).toBe(targets.total);
        expect(figures.people).toBe(targets.peopleCumulative);
        for (const [code, share] of Object.entries(targets.shares)) expect(figures.shares[code]).toBe(share);
      }),
      { numRuns: 15 },
    );
  });
});
