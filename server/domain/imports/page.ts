import { eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { organizations, users } from '../../../db/schema.js';
import type { ImportMapping } from '../../forms/import-row.js';
import type { Actor } from '../actor.js';
import type { FieldCipher } from '../field-crypto.js';
import { listActiveCategories } from '../categories.js';
import { findDefaultFund, listActiveFunds } from '../funds.js';
import { findBatchFor, fromSaved, listSavedMappings, stagedRows, wordCounter, type SavedMapping } from './batches.js';
import { listRowProblems } from './dry-run.js';
import { proposeMapping } from './fields.js';
import type { PreviewSummary } from './plan.js';
import type { SheetRow } from './read-upload.js';
import { rowVocabulary } from './context.js';
import { categoryForWord } from './words.js';

/** Everything the batch page shows: the mapping to adjust, the dry run's result, the actions allowed. */
export function loadBatchPage(
  tx: Tx,
  actor: Actor,
  id: number,
  options: { today: string; savedMappingId: number | null; draft?: ImportMapping; cipher: FieldCipher },
) {
  const batch = findBatchFor(tx, actor, id);
  const headers = JSON.parse(batch.headers) as string[];
  const saved = listSavedMappings(tx, batch.organizationId);
  const chosen = options.savedMappingId === null ? undefined : saved.find((m) => m.id === options.savedMappingId);
  const defaultFundId = findDefaultFund(tx)?.id ?? listActiveFunds(tx)[0]?.id ?? 0;
  const mapping: ImportMapping = options.draft ??
    (chosen ? fromSaved(JSON.parse(chosen.mapping) as SavedMapping, headers) : null) ??
    (batch.mapping ? (JSON.parse(batch.mapping) as ImportMapping) : null) ?? {
      columns: proposeMapping(headers),
      categoryWords: {},
      methodWords: {},
      defaultMethod: 'cash',
      defaultFundId,
    };
  const isStaged = batch.status === 'staged';
  const vocab = rowVocabulary(tx, options.today);
  // One pass over the staged rows, keeping three samples and the words of two columns (the page is
  // served on the request thread: 50,000 decrypted rows are never held at once).
  const samples: SheetRow[] = [];
  const categoryCounter = wordCounter(mapping.columns.category);
  const methodCounter = wordCounter(mapping.columns.method);
  if (isStaged)
    for (const row of stagedRows(tx, batch.id, options.cipher)) {
      if (samples.length < 3) samples.push(row);
      categoryCounter.add(row.cells);
      methodCounter.add(row.cells);
    }
  // The sheet's own category words, each with what it would mean now, for the user to confirm or change.
  const categoryWords = categoryCounter.top(60).map((word) => ({
    word,
    code: mapping.categoryWords[word] ?? categoryForWord(word, vocab.categories) ?? '',
  }));
  const methodWords = methodCounter.top(30).map((word) => ({ word, code: mapping.methodWords[word] ?? '' }));
  const nameOf = (userId: number | null) =>
    userId === null ? null : (tx.select({ name: users.displayName }).from(users).where(eq(users.id, userId)).get()?.name ?? '');
  const organizationName = tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, batch.organizationId)).get()?.name ?? '';
  return {
    batch,
    organizationName,
    uploadedByName: nameOf(batch.uploadedBy),
    confirmedByName: nameOf(batch.confirmedBy),
    undoneByName: nameOf(batch.undoneBy),
    headers,
    samples,
    mapping,
    categoryWords,
    methodWords,
    savedMappings: saved.map((m) => ({ id: m.id, name: m.name })),
    categories: listActiveCategories(tx),
    funds: listActiveFunds(tx),
    preview: batch.preview ? (JSON.parse(batch.preview) as PreviewSummary) : null,
    problems: batch.preview ? listRowProblems(tx, batch.id, 200) : [],
    mayConfirm: batch.status === 'committed' && actor.role === 'coordinator' && batch.uploadedBy !== actor.userId,
    mayUndo: batch.status === 'committed' || batch.status === 'confirmed',
  };
}
export type BatchPage = ReturnType<typeof loadBatchPage>;

/** The batch's column titles through the actor's scope, without reading its rows. */
export function batchHeaders(tx: Tx, actor: Actor, id: number): string[] {
  return JSON.parse(findBatchFor(tx, actor, id).headers) as string[];
}
