import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../../db/client.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { migrateDatabase } from '../../db/migrate.js';
import { funds } from '../../db/schema.js';
import { computeScopeSummary } from '../../server/domain/figures.js';
import { discloseSummary, suppressCells, type PublishedSummary } from '../../server/domain/figures/disclosure.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

const CATEGORIES = ['shelter', 'food', 'medical', 'utilities', 'repatriation', 'tuition'];
const MONTHS = ['2025-04', '2025-05', '2025-06'];

/** Rank of a small 0/1 matrix by Gaussian elimination (exact enough: entries stay small rationals). */
function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  for (let col = 0; m.length > 0 && col < m[0]!.length; col += 1) {
    const pivot = m.findIndex((row, i) => i >= r && Math.abs(row[col]!) > 1e-9);
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i += 1) {
      if (i === r) continue;
      const f = m[i]![col]! / m[r]![col]!;
      if (f !== 0) m[i] = m[i]!.map((v, j) => v - f * m[r]![j]!);
    }
    r += 1;
  }
  return r;
}

/**
 * What a reader can solve for: the unknowns are the hidden cells, and every breakdown that is
 * published gives one equation (its hidden cells add up to the total minus its shown cells).
 * A hidden cell is recoverable when its unit vector lies in the span of those equations.
 */
function recoverableHiddenCells(pub: PublishedSummary): string[] {
  const dims = {
    category: pub.categories.map((c) => c.suppressed),
    month: pub.months.map((c) => c.suppressed),
    organization: pub.organizations.map((c) => c.suppressed),
    fund: pub.funds.map((c) => c.suppressed),
  };
  const unknowns = Object.entries(dims).flatMap(([dim, hidden]) => hidden.flatMap((h, i) => (h ? [`${dim}:${i}`] : [])));
  const equations = Object.keys(dims).map((dim) => unknowns.map((u) => (u.startsWith(`${dim}:`) ? 1 : 0)));
  const base = rank(equations);
  return unknowns.filter((_, k) => rank([...equations, unknowns.map((__, j) => (j === k ? 1 : 0))]) === base);
}

const ledger = fc.record({
  threshold: fc.integer({ min: 2, max: 6 }),
  cases: fc.array(fc.record({ org: fc.integer({ min: 0, max: 2 }), household: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 24 }),
  disbursements: fc.array(
    fc.record({
      caseIndex: fc.nat(),
      month: fc.integer({ min: 0, max: 2 }),
      fund: fc.integer({ min: 0, max: 1 }),
      people: fc.integer({ min: 1, max: 6 }),
      lines: fc.array(fc.record({ category: fc.constantFrom(...CATEGORIES), amount: fc.integer({ min: 1, max: 300_000 }) }), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

type Ledger = typeof ledger extends fc.Arbitrary<infer T> ? T : never;

/** A fresh in-memory database holding exactly the ledger (all approved), written by the usual factories. */
async function writeLedger(l: Ledger): Promise<{ db: Db; truth: Map<string, { cases: Set<number>; disbursements: number }> }> {
  const db = bindAuditKey(openDatabase(':memory:'), randomBytes(32));
  migrateDatabase(db);
  const orgs = [0, 1, 2].map((i) => makeOrganization(db, { code: `OR${'ABC'[i]}`, name: `Group ${i}` }));
  const user = await makeUser(db, { role: 'coordinator', organizationId: orgs[0]!.id });
  const fundIds = [0, 1].map(
    (i) =>
      db
        .insert(funds)
        .values({ name: `Fund ${i}` })
        .returning()
        .get().id,
  );
  const cases = l.cases.map((c) => makeCase(db, { organizationId: orgs[c.org]!.id, createdBy: user.id, householdSize: c.household }));
  // Distinct cases and disbursements per cell, counted here independently of the SQL.
  const truth = new Map<string, { cases: Set<number>; disbursements: number }>();
  const touch = (key: string, caseId: number, isNew: boolean) => {
    const cell = truth.get(key) ?? { cases: new Set(), disbursements: 0 };
    cell.cases.add(caseId);
    if (isNew) cell.disbursements += 1;
    truth.set(key, cell);
  };
  for (const d of l.disbursements) {
    const theCase = cases[d.caseIndex % cases.length]!;
    const row = makeDisbursement(db, {
      caseId: theCase.id,
      submittedBy: user.id,
      decidedBy: user.id,
      status: 'approved',
      paidOn: `${MONTHS[d.month]}-15`,
      fundId: fundIds[d.fund],
      peopleCovered: d.people,
      lines: d.lines,
    });
    touch(`month:${MONTHS[d.month]}`, row.caseId, true);
    touch(`organization:${row.organizationId}`, row.caseId, true);
    touch(`fund:${row.fundId}`, row.caseId, true);
    for (const line of new Set(d.lines.map((x) => x.category))) touch(`category:${line}`, row.caseId, true);
  }
  return { db, truth };
}

describe('disclosure control over random ledgers (SPEC §8)', () => {
  it('publishes no cell under the threshold and no hidden value a reader could solve for', async () => {
    await fc.assert(
      fc.asyncProperty(ledger, async (l) => {
        const { db, truth } = await writeLedger(l);
        try {
          const summary = computeScopeSummary(db, { from: '2025-04-01', to: '2025-06-30', organizationId: null, fundId: null, includePending: false });
          const pub = discloseSummary(summary, l.threshold);
          if (!pub.published) {
            expect(summary.cases).toBeLessThan(l.threshold);
            expect(Object.keys(pub).sort()).toEqual(['period', 'published', 'threshold']);
            return;
          }
          expect(pub.cases).toBeGreaterThanOrEqual(l.threshold);
          const cells = [
            ...pub.categories.map((c) => ({ key: `category:${c.key}`, c })),
            ...pub.months.map((c) => ({ key: `month:${c.key}`, c })),
            ...pub.organizations.map((c) => ({ key: `organization:${c.key}`, c })),
            ...pub.funds.map((c) => ({ key: `fund:${c.key}`, c })),
          ];
          // Listed rows are exactly the non-zero cells.
          expect(cells.map((x) => x.key).sort()).toEqual([...truth.keys()].sort());
          for (const { key, c } of cells) {
            const t = truth.get(key)!;
            if (c.suppressed) continue;
            expect(t.cases.size).toBeGreaterThanOrEqual(l.threshold);
            if (c.disbursements !== null) {
              expect(c.disbursements).toBe(t.disbursements);
              expect(c.disbursements).toBeGreaterThanOrEqual(l.threshold);
            }
          }
          expect(recoverableHiddenCells(pub)).toEqual([]);
          // Shares and the hidden bucket carry nothing beyond total minus shown amounts.
          const shown = pub.categories.filter((c) => !c.suppressed).reduce((s, c) => s + c.amount!, 0);
          expect(pub.hiddenCategories?.amount ?? 0).toBe(pub.total - shown);
          for (const c of pub.categories) expect(c.share === null).toBe(c.suppressed);
        } finally {
          db.$client.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('the rank test catches a single hidden cell (what rule (c) prevents)', () => {
    const cells = [
      { key: 'a', amount: 500, disbursements: 9, cases: 9 },
      { key: 'b', amount: 300, disbursements: 9, cases: 9 },
      { key: 'c', amount: 20, disbursements: 1, cases: 1 },
    ];
    const withComplement = suppressCells(cells, 3)
      .filter((x) => x.hidden)
      .map((x) => x.cell.key);
    expect(withComplement).toEqual(['b', 'c']);
    const cell = (key: string, suppressed: boolean) =>
      suppressed ? { key, suppressed, amount: null, disbursements: null } : { key, suppressed, amount: 1, disbursements: 1 };
    const leaky = {
      categories: [],
      months: [cell('a', false), cell('b', false), cell('c', true)],
      organizations: [],
      funds: [],
    } as unknown as PublishedSummary;
    expect(recoverableHiddenCells(leaky)).toEqual(['month:2']);
  });

  it('hides 0 or at least 2 cells of any breakdown, never lists a zero row, never shows a small cell', () => {
    const cell = fc.record({ key: fc.string(), amount: fc.nat({ max: 1_000_000 }), disbursements: fc.nat({ max: 40 }), cases: fc.nat({ max: 40 }) });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 12 }), fc.integer({ min: 1, max: 15 }), (cells, threshold) => {
        const valid = cells.map((c) => ({ ...c, cases: Math.min(c.cases, c.disbursements), amount: c.disbursements === 0 ? 0 : Math.max(c.amount, 1) }));
        // Every case of the period is in some cell, so one listed cell holds them all: it passes with the period.
        fc.pre(valid.filter((c) => c.amount > 0).length !== 1 || valid.find((c) => c.amount > 0)!.cases >= threshold);
        const out = suppressCells(valid, threshold);
        const hidden = out.filter((x) => x.hidden);
        expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
        expect(out.every((x) => x.cell.amount > 0)).toBe(true);
        expect(out.filter((x) => !x.hidden).every((x) => x.cell.cases >= threshold)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
