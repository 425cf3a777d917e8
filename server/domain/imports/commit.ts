import { and, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { cases, importBatches, importCaseRefs, organizations } from '../../../db/schema.js';
import type { ImportMapping } from '../../forms/import-row.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { Conflict } from '../errors.js';
import type { FieldCipher } from '../field-crypto.js';
import { clientOf, prepared } from '../figures/sql.js';
import { findBatchFor } from './batches.js';
import { planBatch, recordVerdicts, type ImportDeps } from './dry-run.js';
import type { NewCasePlan, PreviewSummary } from './plan.js';

/** A case the import opens: non-identifying profile only; a mapped name or contact sealed like form input. */
function openCase(tx: Tx, actor: Actor, batchId: number, organizationId: number, plan: NewCasePlan, openedOn: string, cipher: FieldCipher, now: Date): number {
  const org = tx.select({ code: organizations.code }).from(organizations).where(eq(organizations.id, organizationId)).get()!;
  const year = Number(openedOn.slice(0, 4));
  const last = tx.select({ max: sql<number | null>`max(${cases.codeSeq})` }).from(cases).where(and(eq(cases.organizationId, organizationId), eq(cases.codeYear, year))).get();
  const seq = (last?.max ?? 0) + 1;
  const code = `${org.code}-${year}-${String(seq).padStart(4, '0')}`;
  const row = tx.insert(cases).values({
    organizationId, code, codeYear: year, codeSeq: seq, householdSize: plan.householdSize, status: 'open', openedOn,
    createdBy: actor.userId, createdAt: now.toISOString(), updatedAt: now.toISOString(),
  }).returning({ id: cases.id }).get();
  // The row id is part of each ciphertext's additional data, so sealing follows the insert.
  const seal = (value: string | null, column: string) => (value === null ? null : cipher.encrypt(value, { table: 'cases', column, rowId: row.id }));
  if (plan.alias !== null || plan.contact !== null) {
    tx.update(cases).set({ aliasEnc: seal(plan.alias, 'alias_enc'), contactEnc: seal(plan.contact, 'contact_enc'), aliasIndex: plan.alias === null ? null : cipher.aliasIndex(plan.alias) }).where(eq(cases.id, row.id)).run();
  }
  tx.insert(importCaseRefs).values({ organizationId, externalCode: plan.caseRef, caseId: row.id, batchId }).run();
  recordAudit(tx, {
    action: 'case.created', actorUserId: actor.userId, entityType: 'case', entityId: row.id, at: now,
    after: { code, organizationId, householdSize: plan.householdSize, status: 'open', openedOn, importBatchId: batchId, ...(plan.alias !== null ? { aliasChanged: true } : {}), ...(plan.contact !== null ? { contactChanged: true } : {}) },
  });
  return row.id;
}

/**
 * Step 4: everything the dry run showed, in one transaction, or nothing. The plan is made again
 * inside the transaction, so a lock or case changed since the dry run is seen. Records land
 * `pending`, submitted by the uploader; a second coordinator confirms them (four eyes).
 */
export function commitBatch(db: Db, actor: Actor, id: number, deps: ImportDeps, now: Date): PreviewSummary {
  return writeTransaction(db, (tx) => {
    const batch = findBatchFor(tx, actor, id);
    if (batch.status !== 'staged') throw new Conflict('imports.notStaged');
    if (!batch.mapping) throw new Conflict('imports.dryRunFirst');
    const plan = planBatch(tx, actor, batch, JSON.parse(batch.mapping) as ImportMapping, deps);
    recordVerdicts(tx, batch.id, plan);
    if (plan.summary.errors > 0) throw new Conflict('imports.hasErrors', { count: plan.summary.errors });
    if (plan.groups.length === 0) throw new Conflict('imports.nothingNew', { duplicates: plan.summary.duplicates });
    const client = clientOf(tx);
    const caseIds = new Map<string, { id: number; householdSize: number }>();
    for (const c of plan.newCases) {
      const openedOn = plan.groups.filter((g) => g.caseRef === c.caseRef).reduce((min, g) => (g.paidOn < min ? g.paidOn : min), '9999-12-31');
      caseIds.set(c.caseRef, { id: openCase(tx, actor, batch.id, batch.organizationId, c, openedOn, deps.cipher, now), householdSize: c.householdSize });
    }
    const household = prepared(client, 'SELECT household_size AS n FROM cases WHERE id = ?');
    const insertRecord = prepared(client, `INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, payee, note, status, submitted_by, submitted_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`);
    const insertLine = prepared(client, `INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id)
      VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)`);
    const link = prepared(client, 'UPDATE import_rows SET disbursement_id = ? WHERE batch_id = ? AND row_number = ?');
    const at = now.toISOString();
    for (const g of plan.groups) {
      const caseId = g.caseId ?? caseIds.get(g.caseRef)!.id;
      const people = g.peopleCovered ?? (household.get(caseId) as { n: number }).n;
      const { id: recordId } = insertRecord.get(caseId, batch.organizationId, g.paidOn, g.fundId, g.method, people, g.payee, g.note, actor.userId, at, at) as { id: number };
      g.lines.forEach((line, position) => {
        insertLine.run(recordId, position, line.categoryId, line.amount, g.paidOn, batch.organizationId, g.fundId, caseId);
        link.run(recordId, batch.id, line.rowNumber);
      });
      recordAudit(tx, {
        action: 'disbursement.created', actorUserId: actor.userId, entityType: 'disbursement', entityId: recordId, at: now,
        after: { caseId, paidOn: g.paidOn, fundId: g.fundId, method: g.method, peopleCovered: people, hasPayee: g.payee !== null, hasNote: g.note !== null, lines: g.lines.map((l) => ({ category: l.category, amount: l.amount })), total: g.lines.reduce((s, l) => s + l.amount, 0), organizationId: batch.organizationId, importBatchId: batch.id },
      });
    }
    tx.update(importBatches).set({ status: 'committed', committedAt: at, preview: JSON.stringify(plan.summary) }).where(eq(importBatches.id, batch.id)).run();
    const s = plan.summary;
    recordAudit(tx, {
      action: 'import.committed', actorUserId: actor.userId, entityType: 'import_batch', entityId: batch.id, at: now,
      after: { organizationId: batch.organizationId, fileName: batch.fileName, fileSha256: batch.fileSha256, rows: s.rows, imported: s.ok, duplicates: s.duplicates, disbursements: s.disbursements, newCases: s.newCases, total: s.total, byCategory: s.byCategory.map((c) => ({ code: c.code, amount: c.amount })) },
    });
    return s;
  });
}
