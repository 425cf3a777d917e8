import type { Db } from '../../../db/client.js';
import type { ImportMapping } from '../../forms/import-row.js';
import type { Actor } from '../actor.js';
import type { FieldCipher } from '../field-crypto.js';
import { commitBatch } from './commit.js';
import { dryRunBatch } from './dry-run.js';
import type { PreviewSummary } from './plan.js';
import { stageUpload } from './batches.js';
import { readUpload, type Problem, type ReadResult } from './read-upload.js';

/** The heavy steps of an import, as plain data so they can cross to the import thread. */
export type ImportJob =
  | { kind: 'parse'; bytes: Uint8Array; fileName: string; sheet: string | null }
  | { kind: 'upload'; bytes: Uint8Array; fileName: string; sheet: string | null; actor: Actor; organizationId: number; sha256: string; now: string }
  | { kind: 'dryRun'; actor: Actor; batchId: number; mapping: ImportMapping; today: string; saveAs: string | null; now: string }
  | { kind: 'commit'; actor: Actor; batchId: number; today: string; now: string };

/** An upload read and staged, or why it was refused. */
export type UploadOutcome = { ok: true; batchId: number; alreadyImported: boolean } | { ok: false; problem: Problem };
export type JobResult<J extends ImportJob> = J extends { kind: 'parse' } ? ReadResult : J extends { kind: 'upload' } ? UploadOutcome : PreviewSummary;

export interface WorkerContext {
  db(): Db;
  cipher: FieldCipher;
}

export async function runImportJob(context: WorkerContext, job: ImportJob): Promise<ReadResult | UploadOutcome | PreviewSummary> {
  switch (job.kind) {
    case 'parse':
      return readUpload(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.fileName, job.sheet);
    case 'upload': {
      // Read and staged on the same thread: the rows never cross to the request thread.
      const read = await readUpload(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.fileName, job.sheet);
      if (!read.ok) return read;
      const upload = { organizationId: job.organizationId, fileName: job.fileName, sha256: job.sha256, table: read.table };
      return { ok: true, ...stageUpload(context.db(), job.actor, upload, new Date(job.now), context.cipher) };
    }
    case 'dryRun':
      return dryRunBatch(
        context.db(),
        job.actor,
        job.batchId,
        job.mapping,
        { cipher: context.cipher, today: job.today, saveAs: job.saveAs },
        new Date(job.now),
      );
    case 'commit':
      return commitBatch(context.db(), job.actor, job.batchId, { cipher: context.cipher, today: job.today }, new Date(job.now));
  }
}
