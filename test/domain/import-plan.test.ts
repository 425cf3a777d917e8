import { describe, expect, it } from 'vitest';
import type { ImportMapping, RowVocabulary } from '../../server/forms/import-row.js';
import { planImport, type PlanLookups } from '../../server/domain/imports/plan.js';

const vocab: RowVocabulary = {
  today: '2025-06-15',
  categories: [
    { code: 'shelter', labelJa: 'シェルター・住居費', labelEn: 'Shelter' },
    { code: 'food', labelJa: '食料・消耗品費', labelEn: 'Food' },
    { code: 'other', labelJa: 'その他', labelEn: 'Other' },
  ],
  methodLabels: {},
  fundIdByName: (name) => (name === '助成A' ? 7 : null),
};
const mapping: ImportMapping = {
  columns: { paidOn: 0, caseRef: 1, category: 2, amount: 3, voucher: 4, peopleCovered: 5, note: 6 },
  categoryWords: {},
  methodWords: {},
  defaultMethod: 'cash',
  defaultFundId: 1,
};

function lookups(overrides: Partial<PlanLookups> = {}): PlanLookups {
  const ids: Record<string, number> = { shelter: 1, food: 2, other: 3 };
  return {
    caseFor: (ref) => (ref === 'TKY-2024-0001' ? { id: 99, householdSize: 2, status: 'open' } : null),
    lockCovering: () => null,
    importedCount: () => 0,
    digest: (text) => `h:${text}`,
    category: (code) => (ids[code] ? { id: ids[code]!, isActive: true, requiresNote: code === 'other', label: code } : null),
    ...overrides,
  };
}
const rows = (cells: string[][]) => cells.map((c, i) => ({ rowNumber: i + 2, cells: c }));

describe('planning an import', () => {
  it('groups rows of the same case, date and voucher into one record with lines', () => {
    const plan = planImport(
      1,
      rows([
        ['2024/7/4', 'A', '家賃', '50000', 'V1', '2', ''],
        ['2024/7/4', 'A', '食費', '12000', 'V1', '2', ''],
        ['2024/7/4', 'A', '食費', '3000', 'V2', '', ''],
        ['2024/7/5', 'A', '食費', '3000', 'V1', '', ''],
      ]),
      mapping,
      vocab,
      lookups(),
    );
    expect(plan.groups.map((g) => [g.paidOn, g.lines.map((l) => l.amount)])).toEqual([
      ['2024-07-04', [50000, 12000]],
      ['2024-07-04', [3000]],
      ['2024-07-05', [3000]],
    ]);
    expect(plan.newCases).toEqual([{ caseRef: 'A', householdSize: 2, alias: null, contact: null }]);
    expect(plan.summary).toMatchObject({ ok: 4, errors: 0, disbursements: 3, total: 68000, byMonth: [{ month: '2024-07', amount: 68000, lines: 4 }] });
  });

  it('skips rows already imported, counting repeats: a row twice in the file and once before adds one', () => {
    const twice = [
      ['2024/7/4', 'A', '家賃', '1000', '', '', ''],
      ['2024/7/4', 'A', '家賃', '1000', '', '', ''],
    ];
    const plan = planImport(1, rows(twice), mapping, vocab, lookups({ importedCount: () => 1 }));
    expect(plan.rows.map((r) => r.status)).toEqual(['duplicate', 'ok']);
    expect(plan.summary.total).toBe(1000);
  });

  it('applies the record rules of the form: people over the household, a note for その他, locked periods', () => {
    const plan = planImport(
      1,
      rows([
        ['2024/7/4', 'TKY-2024-0001', '家賃', '1000', '', '3', ''],
        ['2024/7/6', 'B', 'その他', '1000', '', '', ''],
        ['2024/3/31', 'B', '食費', '1000', '', '', ''],
      ]),
      mapping,
      vocab,
      lookups({ lockCovering: (d) => (d <= '2024-03-31' ? { startsOn: '2023-04-01', endsOn: '2024-03-31', note: 'FY2023' } : null) }),
    );
    expect(plan.rows.map((r) => r.problem?.key)).toEqual(['disbursements.peopleOverHousehold', 'disbursements.noteRequired', 'errors.periodLocked']);
    expect(plan.groups).toEqual([]);
  });
});
