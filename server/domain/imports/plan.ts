import { MAX_LINES } from '../../forms/disbursement.js';
import { parseImportRow, type ImportMapping, type ParsedRow, type RowProblem, type RowVocabulary } from '../../forms/import-row.js';
import type { SheetRow } from './read-upload.js';

/** What the planner asks the database, through functions so the rules stay testable without one. */
export interface PlanLookups {
  /** An existing case of the batch's organization for this reference (its code, or a ref an earlier import made). */
  caseFor(ref: string): { id: number; householdSize: number; status: string } | null;
  lockCovering(date: string): { startsOn: string; endsOn: string; note: string } | null;
  /** How many rows with this content hash earlier imports of the organization already hold. */
  importedCount(hash: string): number;
  /** Keyed digest, so a hash of a row never reveals a payee or a name. */
  digest(text: string): string;
  category(code: string): { id: number; isActive: boolean; requiresNote: boolean; label: string } | null;
}

export type RowStatus = 'ok' | 'error' | 'duplicate' | 'skipped';
export interface RowOutcome {
  rowNumber: number;
  status: RowStatus;
  problem: RowProblem | null;
  hash: string | null;
}
export interface PlannedLine {
  rowNumber: number;
  categoryId: number;
  category: string;
  amount: number;
}
export interface PlannedGroup {
  caseRef: string;
  caseId: number | null;
  paidOn: string;
  fundId: number;
  method: ParsedRow['method'];
  peopleCovered: number | null;
  payee: string | null;
  note: string | null;
  /** The sheet said 承認待ち: the record stays pending when the batch is confirmed. */
  staysPending: boolean;
  lines: PlannedLine[];
}
export interface NewCasePlan {
  caseRef: string;
  householdSize: number;
  alias: string | null;
  contact: string | null;
}
export interface PreviewSummary {
  rows: number;
  ok: number;
  errors: number;
  duplicates: number;
  /** Rows left out on purpose (状態 取消 / 差し戻し / 取り下げ; another group's rows): counted, never imported. */
  skippedVoided?: number;
  skippedOtherOrganization?: number;
  skippedTotals?: number;
  disbursements: number;
  newCases: number;
  total: number;
  byCategory: { code: string; amount: number; lines: number }[];
  byMonth: { month: string; amount: number; lines: number }[];
}
export interface ImportPlan {
  rows: RowOutcome[];
  groups: PlannedGroup[];
  newCases: NewCasePlan[];
  summary: PreviewSummary;
}

/** The content a row is recognized by on a later import: what it says, not where it sits. */
const contentOf = (organizationId: number, r: ParsedRow) =>
  JSON.stringify([organizationId, r.caseRef, r.paidOn, r.voucher, r.category, r.amount, r.method, r.fundId, r.peopleCovered, r.payee, r.note]);

function tally(map: Map<string, { amount: number; lines: number }>, key: string, amount: number) {
  const t = map.get(key) ?? { amount: 0, lines: 0 };
  t.amount += amount;
  t.lines += 1;
  map.set(key, t);
}

/**
 * Every row read and judged, rows grouped into disbursements (same case, date, voucher number,
 * fund and method → one record with lines), and what the import would add. Writes nothing.
 */
export function planImport(organizationId: number, rows: Iterable<SheetRow>, mapping: ImportMapping, vocab: RowVocabulary, lookups: PlanLookups): ImportPlan {
  const outcomes = new Map<number, RowOutcome>();
  const seen = new Map<string, number>();
  const skipped = { voided: 0, otherOrganization: 0, totalRow: 0 };
  const fail = (rowNumber: number, problem: RowProblem) => {
    const o = outcomes.get(rowNumber)!;
    if (o.status === 'ok') Object.assign(o, { status: 'error', problem });
  };
  const groups = new Map<string, PlannedGroup & { rows: number[] }>();
  const cases = new Map<string, NewCasePlan & { existing: ReturnType<PlanLookups['caseFor']> }>();
  // One pass: each row is read, judged and grouped as it comes, so only what the plan keeps of it stays alive.
  for (const { rowNumber, cells } of rows) {
    const result = parseImportRow(cells, mapping, vocab, organizationId);
    if (result.ok === 'skipped') {
      outcomes.set(rowNumber, { rowNumber, status: 'skipped', problem: null, hash: null });
      skipped[result.reason] += 1;
      continue;
    }
    if (!result.ok) {
      outcomes.set(rowNumber, { rowNumber, status: 'error', problem: result.problem, hash: null });
      continue;
    }
    const row = result.row;
    const hash = lookups.digest(contentOf(organizationId, row));
    const nth = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, nth);
    const duplicate = nth <= lookups.importedCount(hash);
    outcomes.set(rowNumber, { rowNumber, status: duplicate ? 'duplicate' : 'ok', problem: null, hash });
    if (duplicate) continue;
    const category = lookups.category(row.category);
    if (!category) fail(rowNumber, { field: 'category', key: 'validation.invalidChoice' });
    else if (!category.isActive) fail(rowNumber, { field: 'category', key: 'disbursements.categoryRetired' });
    const lock = lookups.lockCovering(row.paidOn);
    if (lock) fail(rowNumber, { field: 'paidOn', key: 'errors.periodLocked', params: { from: lock.startsOn, to: lock.endsOn, note: lock.note } });
    let theCase = cases.get(row.caseRef);
    if (!theCase) {
      theCase = { caseRef: row.caseRef, householdSize: 1, alias: null, contact: null, existing: lookups.caseFor(row.caseRef) };
      cases.set(row.caseRef, theCase);
    }
    if (theCase.existing?.status === 'closed') fail(rowNumber, { field: 'caseRef', key: 'disbursements.caseClosed' });
    theCase.householdSize = Math.max(theCase.householdSize, row.householdSize ?? 1, row.peopleCovered ?? 1);
    theCase.alias ??= row.alias;
    theCase.contact ??= row.contact;
    if (outcomes.get(rowNumber)!.status !== 'ok') continue;
    const staysPending = row.status === 'pending';
    const key = JSON.stringify([row.caseRef, row.paidOn, row.voucher, row.fundId, row.method, staysPending]);
    let group = groups.get(key);
    if (!group) {
      group = {
        caseRef: row.caseRef,
        caseId: theCase.existing?.id ?? null,
        paidOn: row.paidOn,
        fundId: row.fundId,
        method: row.method,
        peopleCovered: row.peopleCovered,
        payee: row.payee,
        note: row.note,
        staysPending,
        lines: [],
        rows: [],
      };
      groups.set(key, group);
    }
    group.peopleCovered = Math.max(group.peopleCovered ?? 0, row.peopleCovered ?? 0) || null;
    group.payee ??= row.payee;
    group.note ??= row.note;
    group.lines.push({ rowNumber, categoryId: category!.id, category: row.category, amount: row.amount });
    group.rows.push(rowNumber);
  }

  // Rules of the whole record, as the form applies them: a failing record fails each of its rows.
  for (const group of groups.values()) {
    const theCase = cases.get(group.caseRef)!;
    const household = theCase.existing?.householdSize ?? theCase.householdSize;
    const problems: RowProblem[] = [];
    if (group.lines.length > MAX_LINES) problems.push({ field: 'category', key: 'disbursements.tooManyLines' });
    if ((group.peopleCovered ?? 0) > household) problems.push({ field: 'peopleCovered', key: 'disbursements.peopleOverHousehold', params: { household } });
    const needsNote = group.lines.map((l) => lookups.category(l.category)!).find((c) => c.requiresNote);
    if (needsNote && group.note === null && mapping.missingNote) group.note = mapping.missingNote;
    if (needsNote && group.note === null) problems.push({ field: 'note', key: 'disbursements.noteRequired', params: { category: needsNote.label } });
    if (problems.length > 0) for (const rowNumber of group.rows) fail(rowNumber, problems[0]!);
  }

  const all = [...outcomes.values()].sort((a, b) => a.rowNumber - b.rowNumber);
  const okRows = new Set(all.filter((o) => o.status === 'ok').map((o) => o.rowNumber));
  const kept = [...groups.values()].filter((g) => g.rows.every((n) => okRows.has(n)));
  const byCategory = new Map<string, { amount: number; lines: number }>();
  const byMonth = new Map<string, { amount: number; lines: number }>();
  let total = 0;
  for (const g of kept)
    for (const line of g.lines) {
      total += line.amount;
      tally(byCategory, line.category, line.amount);
      tally(byMonth, g.paidOn.slice(0, 7), line.amount);
    }
  const usedRefs = new Set(kept.map((g) => g.caseRef));
  const newCases = [...cases.values()].filter((c) => c.existing === null && usedRefs.has(c.caseRef)).map(({ existing: _e, ...c }) => c);
  const count = (s: RowStatus) => all.filter((o) => o.status === s).length;
  return {
    rows: all,
    groups: kept.map(({ rows: _r, ...g }) => g),
    newCases,
    summary: {
      rows: all.length,
      ok: count('ok'),
      errors: count('error'),
      duplicates: count('duplicate'),
      skippedVoided: skipped.voided,
      skippedOtherOrganization: skipped.otherOrganization,
      skippedTotals: skipped.totalRow,
      disbursements: kept.length,
      newCases: newCases.length,
      total,
      byCategory: [...byCategory].map(([code, t]) => ({ code, ...t })).sort((a, b) => b.amount - a.amount),
      byMonth: [...byMonth].map(([month, t]) => ({ month, ...t })).sort((a, b) => a.month.localeCompare(b.month)),
    },
  };
}
