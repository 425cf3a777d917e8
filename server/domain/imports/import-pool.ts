import type { ResourceLimits } from 'node:worker_threads';
import { createWorkerPool, reviveFailure, startModuleWorker } from '../worker-threads.js';
import type { Db } from '../../../db/client.js';
import { DomainError } from '../errors.js';
import { createFieldCipher } from '../field-crypto.js';
import type { JobReply, JobRequest } from './import-worker.js';
import { runImportJob, type ImportJob, type JobResult } from './jobs.js';

/** Runs import jobs on one thread of their own, started on first use; close() when the app closes. */
export interface ImportRunner {
  run<J extends ImportJob>(job: J): Promise<JobResult<J>>;
  close(): Promise<void>;
}

/**
 * The import thread's heap, kept small on purpose: reading a workbook makes garbage fast, and
 * without a ceiling V8 lets the heap grow far past what is alive before collecting (the app's
 * RSS passed 490 MB). What stays alive of a 50,000-row import is well under this.
 */
const IMPORT_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };

/**
 * One worker thread with its own connection to the database file. An in-memory database cannot
 * be shared with another thread: there the database jobs run in process (parsing still moves).
 */
export function createImportRunner(db: Db, dataKey: Buffer, previousKeys: readonly Buffer[] = [], heap: ResourceLimits = IMPORT_HEAP): ImportRunner {
  const databasePath = db.$client.memory ? null : db.$client.name;
  const local = { db: () => db, cipher: createFieldCipher(dataKey) };
  const keys = { dataKey: dataKey.toString('base64'), previousKeys: previousKeys.map((k) => k.toString('base64')) };
  const pool = createWorkerPool<JobRequest, JobReply>({
    name: 'import worker',
    start: () => startModuleWorker(import.meta.url, 'import-worker', { databasePath, ...keys }, heap),
    failure: (reply) => reviveFailure(reply.error, 'import worker'),
    // A file whose rows do not fit the thread's heap is refused like any oversized request, not a 500.
    workerError: (error) => (error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new DomainError('errors.tooLarge') : error),
  });
  return {
    async run<J extends ImportJob>(job: J): Promise<JobResult<J>> {
      if (job.kind !== 'parse' && databasePath === null) return runImportJob(local, job) as Promise<JobResult<J>>;
      // The upload's bytes move to the worker instead of being copied.
      const transfer = job.kind === 'parse' || job.kind === 'upload' ? [job.bytes.buffer as ArrayBuffer] : [];
      const reply = await pool.request({ job }, transfer);
      return reply.result as JobResult<J>;
    },
    close: () => pool.close(),
  };
}
