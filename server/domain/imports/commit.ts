import { eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { importBatches, organizations } from '../../../db/schema.js';
import type { ImportMapping } from '../../forms/import-row.js';
import type { Actor } from '../actor.js';
import { recordAudit, type AuditEventInput } from '../audit.js';
import { recordAuditMany } from '../audit-batch.js';
import { Conflict } from '../errors.js';
import type { FieldCipher } from '../field-crypto.js';
import { clientOf, prepared } from '../figures/sql.js';
import { identityFingerprint } from '../person-matches.js';
import { findBatchFor } from './batches.js';
import { planBatch, recordVerdicts, type ImportDeps } from './dry-run.js';
import type { ImportPlan, PreviewSummary } from './plan.js';

interface Written {
  first: number | null;
  last: number | null;
  count: number;
}
const track = (w: Written, id: number) => {
  w.first ??= id;
  w.last = id;
  w.count += 1;
};

/**
 * The cases the import opens: non-identifying profile only (household size); a mapped name or
 * contact is sealed like form input, with the row id in its additional data. Codes follow the
 * organization's sequence for the year of the case's first disbursement.
 */
function openCases(tx: Tx, actor: Actor, batchId: number, organizationId: number, plan: ImportPlan, cipher: FieldCipher, now: Date, written: Written) {
  const client = clientOf(tx);
  const org = tx.select({ code: organizations.code }).from(organizations).where(eq(organizations.id, organizationId)).get()!;
  const lastSeq = prepared(client, 'SELECT coalesce(max(code_seq), 0) AS n FROM cases WHERE organization_id = ? AND code_year = ?');
  const insert = prepared(
    client,
    `INSERT INTO cases (organization_id, code, code_year, code_seq, household_size, status, opened_on, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id`,
  );
  const seal = prepared(client, 'UPDATE cases SET alias_enc = ?, contact_enc = ?, alias_index = ? WHERE id = ?');
  const fingerprintRow = prepared(client, 'INSERT INTO identity_fingerprints (case_id, organization_id, fingerprint, updated_at) VALUES (?, ?, ?, ?)');
  const ref = prepared(client, 'INSERT INTO import_case_refs (organization_id, external_code, case_id, batch_id) VALUES (?, ?, ?, ?)');
  const firstPaid = new Map<string, string>();
  for (const g of plan.groups) if (!firstPaid.has(g.caseRef) || g.paidOn < firstPaid.get(g.caseRef)!) firstPaid.set(g.caseRef, g.paidOn);
  const seqs = new Map<number, number>();
  const ids = new Map<string, number>();
  const at = now.toISOString();
  for (const c of plan.newCases) {
    const openedOn = firstPaid.get(c.caseRef)!;
    const year = Number(openedOn.slice(0, 4));
    const seq = (seqs.get(year) ?? (lastSeq.get(organizationId, year) as { n: number }).n) + 1;
    seqs.set(year, seq);
    const code = `${org.code}-${year}-${String(seq).padStart(4, '0')}`;
    const { id } = insert.get(organizationId, code, year, seq, c.householdSize, openedOn, actor.userId, at, at) as { id: number };
    if (c.alias !== null || c.contact !== null) {
      const enc = (value: string | null, column: string) => (value === null ? null : cipher.encrypt(value, { table: 'cases', column, rowId: id }));
      seal.run(enc(c.alias, 'alias_enc'), enc(c.contact, 'contact_enc'), c.alias === null ? null : cipher.aliasIndex(c.alias), id);
      // The same keyed fingerprint a case typed in gets, so an imported person can be matched too.
      const fingerprint = c.alias === null ? null : identityFingerprint(cipher, { name: c.alias, nationality: null });
      if (fingerprint) fingerprintRow.run(id, organizationId, fingerprint, at);
    }
    ref.run(organizationId, c.caseRef, id, batchId);
    ids.set(c.caseRef, id);
    track(written, id);
  }
  return ids;
}

/**
 * Step 4: everything the dry run showed, in one transaction, or nothing. The plan is made again
 * inside the transaction, so a lock or case changed since the dry run is seen. Records land
 * `pending`, submitted by the uploader; a second coordinator confirms them (four eyes). One audit
 * event records the whole import (the ids it created, counts, totals): the batch is the change.
 */
export function commitBatch(db: Db, actor: Actor, id: number, deps: ImportDeps, now: Date): PreviewSummary {
  return writeTransaction(db, (tx) => {
    const batch = findBatchFor(tx, actor, id);
    if (batch.status !== 'staged') throw new Conflict('imports.notStaged');
    if (!batch.mapping) throw new Conflict('imports.dryRunFirst');
    const plan = planBatch(tx, actor, batch, JSON.parse(batch.mapping) as ImportMapping, deps);
    // A refusal rolls the whole transaction back, verdicts included: they are written once it passes.
    if (plan.summary.errors > 0) throw new Conflict('imports.hasErrors', { count: plan.summary.errors });
    if (plan.groups.length === 0) throw new Conflict('imports.nothingNew', { duplicates: plan.summary.duplicates });
    const client = clientOf(tx);
    const newCases: Written = { first: null, last: null, count: 0 };
    const records: Written = { first: null, last: null, count: 0 };
    const caseIds = openCases(tx, actor, batch.id, batch.organizationId, plan, deps.cipher, now, newCases);
    const household = prepared(client, 'SELECT household_size AS n FROM cases WHERE id = ?');
    const insertRecord = prepared(
      client,
      `INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, payee, note, status, submitted_by, submitted_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
    );
    const insertLine = prepared(
      client,
      `INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id)
      VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    );
    // Rows that become lines get their verdict and their record in one update; the others get their verdict alone.
    recordVerdicts(tx, batch.id, plan, (o) => o.status === 'ok');
    const hashes = new Map(plan.rows.map((o) => [o.rowNumber, o.hash]));
    const link = prepared(
      client,
      'UPDATE import_rows SET row_hash = ?, problem = NULL, is_duplicate = 0, disbursement_id = ?, stays_pending = ? WHERE batch_id = ? AND row_number = ?',
    );
    const at = now.toISOString();
    const events: AuditEventInput[] = [];
    for (const g of plan.groups) {
      const caseId = g.caseId ?? caseIds.get(g.caseRef)!;
      const people = g.peopleCovered ?? (household.get(caseId) as { n: number }).n;
      const { id: recordId } = insertRecord.get(caseId, batch.organizationId, g.paidOn, g.fundId, g.method, people, g.payee, g.note, actor.userId, at, at) as {
        id: number;
      };
      g.lines.forEach((line, position) => {
        insertLine.run(recordId, position, line.categoryId, line.amount, g.paidOn, batch.organizationId, g.fundId, caseId);
        link.run(hashes.get(line.rowNumber), recordId, g.staysPending ? 1 : 0, batch.id, line.rowNumber);
      });
      track(records, recordId);
      // One event per record binds its money to the keyed chain (audit:verify finds no unbound yen).
      events.push({
        action: 'disbursement.imported',
        actorUserId: actor.userId,
        entityType: 'disbursement',
        entityId: recordId,
        at: now,
        after: { batchId: batch.id },
      });
    }
    recordAuditMany(tx, events);
    tx.update(importBatches)
      .set({ status: 'committed', committedAt: at, preview: JSON.stringify(plan.summary) })
      .where(eq(importBatches.id, batch.id))
      .run();
    const s = plan.summary;
    recordAudit(tx, {
      action: 'import.committed',
      actorUserId: actor.userId,
      entityType: 'import_batch',
      entityId: batch.id,
      at: now,
      after: {
        organizationId: batch.organizationId,
        fileName: batch.fileName,
        fileSha256: batch.fileSha256,
        rows: s.rows,
        imported: s.ok,
        duplicates: s.duplicates,
        skippedVoided: s.skippedVoided ?? 0,
        skippedOtherOrganization: s.skippedOtherOrganization ?? 0,
        disbursements: s.disbursements,
        newCases: s.newCases,
        total: s.total,
        byCategory: s.byCategory.map((c) => ({ code: c.code, amount: c.amount })),
        byMonth: s.byMonth.map((m) => ({ month: m.month, amount: m.amount })),
        disbursementIds: { first: records.first, last: records.last, count: records.count },
        caseIds: { first: newCases.first, last: newCases.last, count: newCases.count },
      },
    });
    return s;
  });
}
