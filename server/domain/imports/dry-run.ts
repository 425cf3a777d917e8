import { eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { categories, funds, importBatches } from '../../../db/schema.js';
import type { ImportMapping } from '../../forms/import-row.js';
import type { Actor } from '../actor.js';
import { Conflict, InvalidInput } from '../errors.js';
import type { FieldCipher } from '../field-crypto.js';
import { clientOf, prepared } from '../figures/sql.js';
import { findBatchFor, saveMapping, stagedRows, type ImportBatch } from './batches.js';
import { planLookups, rowVocabulary } from './context.js';
import { planImport, type ImportPlan, type PreviewSummary } from './plan.js';

export interface ImportDeps {
  cipher: FieldCipher;
  today: string;
}

/** Rules of the mapping that need the database: the default fund and the codes of the user's words. */
function checkMapping(tx: Tx, mapping: ImportMapping): void {
  const errors: Record<string, string> = {};
  const fund = tx.select().from(funds).where(eq(funds.id, mapping.defaultFundId)).get();
  if (!fund || !fund.isActive) errors.defaultFundId = 'validation.invalidChoice';
  const codes = new Set(
    tx
      .select({ code: categories.code })
      .from(categories)
      .all()
      .map((c) => c.code),
  );
  Object.values(mapping.categoryWords).forEach((code, i) => {
    if (!codes.has(code)) errors[`categoryCode[${i}]`] = 'validation.invalidChoice';
  });
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
}

/** Plan a staged batch against the database as it is now. */
export function planBatch(tx: Tx, actor: Actor, batch: ImportBatch, mapping: ImportMapping, deps: ImportDeps): ImportPlan {
  const rows = stagedRows(tx, batch.id, deps.cipher);
  return planImport(batch.organizationId, rows, mapping, rowVocabulary(tx, deps.today), planLookups(tx, actor, batch.organizationId, deps.cipher));
}

/** Remember each row's verdict and hash, so the page and the error list need no re-run. */
export function recordVerdicts(tx: Tx, batchId: number, plan: ImportPlan, skip: (o: ImportPlan['rows'][number]) => boolean = () => false): void {
  const update = prepared(clientOf(tx), 'UPDATE import_rows SET row_hash = ?, problem = ?, is_duplicate = ? WHERE batch_id = ? AND row_number = ?');
  for (const o of plan.rows)
    if (!skip(o)) update.run(o.hash, o.problem ? JSON.stringify(o.problem) : null, o.status === 'duplicate' ? 1 : 0, batchId, o.rowNumber);
}

/**
 * The dry run (step 3): every row judged by the form's rules and the database's, grouped, totalled.
 * Nothing reaches cases or disbursements; the verdicts and the mapping are kept on the batch.
 * The judging (seconds at 50,000 rows) runs in a read snapshot, so the app's own small writes (a
 * session touch, a login) never wait for it; only the verdicts take the write lock. The commit
 * judges again inside its transaction, so nothing depends on this snapshot staying current.
 */
export function dryRunBatch(
  db: Db,
  actor: Actor,
  id: number,
  mapping: ImportMapping,
  options: ImportDeps & { saveAs: string | null },
  now: Date,
): PreviewSummary {
  const plan = db.transaction(
    (tx) => {
      const batch = findBatchFor(tx, actor, id);
      if (batch.status !== 'staged') throw new Conflict('imports.notStaged');
      checkMapping(tx, mapping);
      return planBatch(tx, actor, batch, mapping, options);
    },
    { behavior: 'deferred' },
  );
  return writeTransaction(db, (tx) => {
    const batch = findBatchFor(tx, actor, id);
    if (batch.status !== 'staged') throw new Conflict('imports.notStaged');
    recordVerdicts(tx, batch.id, plan);
    tx.update(importBatches)
      .set({ mapping: JSON.stringify(mapping), preview: JSON.stringify(plan.summary) })
      .where(eq(importBatches.id, batch.id))
      .run();
    if (options.saveAs) saveMapping(tx, actor, batch, options.saveAs, mapping, now);
    return plan.summary;
  });
}

/** The refused rows of the last dry run, in sheet order, for the page and the CSV. */
export function listRowProblems(tx: Tx, batchId: number, limit?: number) {
  const text = `SELECT row_number AS rowNumber, problem FROM import_rows WHERE batch_id = ? AND problem IS NOT NULL ORDER BY row_number${limit ? ` LIMIT ${Math.floor(limit)}` : ''}`;
  return (prepared(clientOf(tx), text).all(batchId) as { rowNumber: number; problem: string }[]).map((r) => ({
    rowNumber: r.rowNumber,
    ...(JSON.parse(r.problem) as { field: string; key: string; params?: Record<string, string | number> }),
  }));
}
