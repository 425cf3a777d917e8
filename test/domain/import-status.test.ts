import { describe, expect, it } from 'vitest';
import { fieldForHeader, proposeMapping } from '../../server/domain/imports/fields.js';
import { planImport, type PlanLookups } from '../../server/domain/imports/plan.js';
import { statusForWord } from '../../server/domain/imports/status-words.js';
import type { ImportMapping, RowVocabulary } from '../../server/forms/import-row.js';
import { ownCatalogs } from '../../server/i18n/index.js';

const enCols = ownCatalogs.en as Record<string, string>;
const jaCols = ownCatalogs.ja as Record<string, string>;
const LABELS = {
  approved: ['承認済み', 'Approved'],
  pending: ['承認待ち', 'Pending'],
  voided: ['取消', 'Voided'],
  rejected: ['差し戻し', 'Rejected'],
  withdrawn: ['取り下げ', 'Withdrawn'],
};
const vocab: RowVocabulary = {
  today: '2025-09-15',
  categories: [
    { code: 'food', labelJa: '食料・消耗品費', labelEn: 'Food' },
    { code: 'other', labelJa: 'その他', labelEn: 'Other' },
  ],
  methodLabels: {},
  fundIdByName: () => null,
  statusLabels: LABELS,
  organizationIdByName: (name) => ({ tky: 1, osk: 2 })[name.toLowerCase()] ?? null,
};
// paidOn, caseRef, category, amount, status, organization
const mapping: ImportMapping = {
  columns: { paidOn: 0, caseRef: 1, category: 2, amount: 3, status: 4, organization: 5 },
  categoryWords: {},
  methodWords: {},
  defaultMethod: 'cash',
  defaultFundId: 1,
};
const lookups: PlanLookups = {
  caseFor: () => null,
  lockCovering: () => null,
  importedCount: () => 0,
  digest: (text) => `h:${text}`,
  category: (code) => ({ id: code === 'food' ? 1 : 2, isActive: true, requiresNote: code === 'other', label: code }),
};
const rows = (cells: string[][]) => cells.map((c, i) => ({ rowNumber: i + 2, cells: c }));

describe('the 状態 column', () => {
  it('reads the app’s labels in both languages and the usual words', () => {
    expect(['承認済', '承認済み', 'Approved', 'approved'].map((w) => statusForWord(w, LABELS))).toEqual(['approved', 'approved', 'approved', 'approved']);
    expect(['承認待ち', '未承認', 'pending'].map((w) => statusForWord(w, LABELS))).toEqual(['pending', 'pending', 'pending']);
    expect(['取消', '取り消し', 'Voided', 'cancelled', '差し戻し', '取り下げ'].map((w) => statusForWord(w, LABELS))).toEqual([
      'voided',
      'voided',
      'voided',
      'voided',
      'rejected',
      'withdrawn',
    ]);
    expect(statusForWord('たぶん', LABELS)).toBeNull();
  });

  it('imports approved and pending rows, keeps pending ones apart, leaves voided rows out with a count, refuses unknown words', () => {
    const plan = planImport(
      1,
      rows([
        ['2025/7/1', 'A', '食費', '1000', '承認済', 'TKY'],
        ['2025/7/1', 'A', '食費', '2000', '承認待ち', 'TKY'],
        ['2025/7/1', 'A', '食費', '4000', '取消', 'TKY'],
        ['2025/7/2', 'B', '食費', '8000', '', 'TKY'],
        ['2025/7/3', 'B', '食費', '16000', 'たぶん', 'TKY'],
      ]),
      mapping,
      vocab,
      lookups,
    );
    expect(plan.rows.map((r) => r.status)).toEqual(['ok', 'ok', 'skipped', 'ok', 'error']);
    expect(plan.rows[4]!.problem).toMatchObject({ field: 'status', key: 'imports.unknownStatus' });
    // Same case, date and voucher, but one approved and one pending: two records, only one stays pending.
    expect(plan.groups.map((g) => [g.lines.map((l) => l.amount), g.staysPending])).toEqual([
      [[1000], false],
      [[2000], true],
      [[8000], false],
    ]);
    expect(plan.summary).toMatchObject({ skippedVoided: 1, total: 11000 });
  });

  it('leaves another group’s rows out (counted), refuses a group that does not exist, passes over a totals line', () => {
    const plan = planImport(
      1,
      rows([
        ['2025/7/1', 'A', '食費', '1000', '承認済', 'TKY'],
        ['2025/7/1', 'C', '食費', '2000', '取消', 'OSK'],
        ['2025/7/1', 'C', '食費', '2000', '承認済', 'OSK'],
        ['2025/7/1', 'D', '食費', '3000', '承認済', 'Nowhere'],
      ]),
      mapping,
      vocab,
      lookups,
    );
    expect(plan.rows.map((r) => r.status)).toEqual(['ok', 'skipped', 'skipped', 'error']);
    expect(plan.rows[3]!.problem).toMatchObject({ field: 'organization', key: 'imports.unknownOrganization' });
    expect(plan.summary).toMatchObject({ skippedOtherOrganization: 2, skippedVoided: 0 });
    // The ledger export's totals line (label in its first column), and a sheet's 合計 in the date column.
    const ledger = { ...mapping, columns: { voucher: 0, paidOn: 1, caseRef: 2, category: 3, amount: 4 } };
    const totals = planImport(
      1,
      rows([
        ['7', '2025/7/1', 'A', '食費', '1000'],
        ['合計（取消を除く）', '', '', '', '1000'],
        ['', '総計', '', '', '1000'],
        ['', '2025/7/2', '', '食費', '500'],
      ]),
      ledger,
      vocab,
      lookups,
    );
    expect(totals.rows.map((r) => r.status)).toEqual(['ok', 'skipped', 'skipped', 'error']);
    expect(totals.summary).toMatchObject({ skippedTotals: 2, total: 1000 });
  });

  it('fills the note a category needs from the mapping when the sheet has none', () => {
    const sheet = rows([['2025/7/1', 'A', 'その他', '1000', '承認済', 'TKY']]);
    expect(planImport(1, sheet, mapping, vocab, lookups).rows[0]!.problem?.key).toBe('disbursements.noteRequired');
    const filled = planImport(1, sheet, { ...mapping, missingNote: '移行データ' }, vocab, lookups);
    expect(filled.rows[0]!.status).toBe('ok');
    expect(filled.groups[0]!.note).toBe('移行データ');
  });
});

describe('the ledger export’s own headers', () => {
  it('are proposed without help, in Japanese and in English', () => {
    for (const cols of [jaCols, enCols]) {
      const keys = [
        'disbursementId',
        'line',
        'caseCode',
        'organization',
        'paidOn',
        'category',
        'amount',
        'fund',
        'method',
        'peopleCovered',
        'status',
        'submittedBy',
        'voidReason',
      ] as const;
      const headers = keys.map((k) => cols[`exports.col.${k}`]!);
      expect(proposeMapping(headers)).toEqual({
        voucher: 0,
        caseRef: 2,
        organization: 3,
        paidOn: 4,
        category: 5,
        amount: 6,
        fund: 7,
        method: 8,
        peopleCovered: 9,
        status: 10,
      });
    }
    expect(fieldForHeader('ステータス')).toBe('status');
  });
});
