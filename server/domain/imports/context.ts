import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { cases, categories, importCaseRefs, METHODS } from '../../../db/schema.js';
import type { RowVocabulary } from '../../forms/import-row.js';
import { translator } from '../../i18n/index.js';
import type { Actor } from '../actor.js';
import { categoryLabel } from '../categories.js';
import type { FieldCipher } from '../field-crypto.js';
import { listActiveFunds } from '../funds.js';
import { clientOf, prepared } from '../figures/sql.js';
import { listActiveLocks } from '../period-locks.js';
import type { PlanLookups } from './plan.js';
import { foldWord } from './words.js';

/** The words and lists a row is read against: categories, method labels in both languages, funds. */
export function rowVocabulary(tx: Tx, today: string): RowVocabulary {
  const all = tx.select().from(categories).all();
  const funds = new Map(listActiveFunds(tx).map((f) => [foldWord(f.name), f.id]));
  const [ja, en] = [translator('ja'), translator('en')];
  const methodLabels = Object.fromEntries(METHODS.map((m) => [m, [ja(`methods.${m}`), en(`methods.${m}`)]]));
  return { today, categories: all, methodLabels, fundIdByName: (name) => funds.get(foldWord(name)) ?? null };
}

/** The planner's questions to the database for one organization, with small caches. */
export function planLookups(tx: Tx, actor: Actor, organizationId: number, cipher: FieldCipher): PlanLookups {
  const imported = prepared(clientOf(tx),
    `SELECT count(*) AS n FROM import_rows r JOIN import_batches b ON b.id = r.batch_id
     WHERE r.row_hash = ? AND b.organization_id = ? AND b.status IN ('committed', 'confirmed') AND r.disbursement_id IS NOT NULL`,
  );
  const locks = listActiveLocks(tx);
  const byCode = new Map(tx.select().from(categories).all().map((c) => [c.code, { id: c.id, isActive: c.isActive, requiresNote: c.requiresNote, label: categoryLabel(c, actor.locale) }]));
  const caseCache = new Map<string, ReturnType<PlanLookups['caseFor']>>();
  return {
    caseFor(ref) {
      if (caseCache.has(ref)) return caseCache.get(ref)!;
      const columns = { id: cases.id, householdSize: cases.householdSize, status: cases.status };
      const own = tx.select(columns).from(cases).where(and(eq(cases.organizationId, organizationId), eq(cases.code, ref))).get();
      const viaRef =
        own ??
        tx.select(columns).from(importCaseRefs).innerJoin(cases, eq(cases.id, importCaseRefs.caseId))
          .where(and(eq(importCaseRefs.organizationId, organizationId), eq(importCaseRefs.externalCode, ref))).get();
      const found = viaRef ?? null;
      caseCache.set(ref, found);
      return found;
    },
    lockCovering: (date) => locks.find((l) => l.startsOn <= date && l.endsOn >= date) ?? null,
    importedCount: (hash) => (imported.get(hash, organizationId) as { n: number }).n,
    digest: (text) => cipher.digest(text),
    category: (code) => byCode.get(code) ?? null,
  };
}

/** Case ids by the refs an organization's earlier imports made (for tests and the batch page). */
export function caseIdsForRefs(tx: Tx, organizationId: number, refs: string[]): Map<string, number> {
  if (refs.length === 0) return new Map();
  const rows = tx.select({ ref: importCaseRefs.externalCode, caseId: importCaseRefs.caseId }).from(importCaseRefs)
    .where(and(eq(importCaseRefs.organizationId, organizationId), inArray(importCaseRefs.externalCode, refs))).all();
  return new Map(rows.map((r) => [r.ref, r.caseId]));
}
