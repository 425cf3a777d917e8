import type { Db } from '../../../db/client.js';
import type { ImportMapping } from '../../forms/import-row.js';
import type { Actor } from '../actor.js';
import type { FieldCipher } from '../field-crypto.js';
import { commitBatch } from './commit.js';
import { dryRunBatch } from './dry-run.js';
import type { PreviewSummary } from './plan.js';
import { readUpload, type ReadResult } from './read-upload.js';

/** The heavy steps of an import, as plain data so they can cross to the import thread. */
export type ImportJob =
  | { kind: 'parse'; bytes: Uint8Array; fileName: string; sheet: string | null }
  | { kind: 'dryRun'; actor: Actor; batchId: number; mapping: ImportMapping; today: string; saveAs: string | null; now: string }
  | { kind: 'commit'; actor: Actor; batchId: number; today: string; now: string };

export type JobResult<J extends ImportJob> = J extends { kind: 'parse' } ? ReadResult : PreviewSummary;

export interface WorkerContext {
  db(): Db;
  cipher: FieldCipher;
}

export async function runImportJob(context: WorkerContext, job: ImportJob): Promise<ReadResult | PreviewSummary> {
  switch (job.kind) {
    case 'parse':
      return readUpload(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.fileName, job.sheet);
    case 'dryRun':
      return dryRunBatch(context.db(), job.actor, job.batchId, job.mapping, { cipher: context.cipher, today: job.today, saveAs: job.saveAs }, new Date(job.now));
    case 'commit':
      return commitBatch(context.db(), job.actor, job.batchId, { cipher: context.cipher, today: job.today }, new Date(job.now));
  }
}
