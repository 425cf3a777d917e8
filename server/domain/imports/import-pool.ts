import type { ResourceLimits, Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-threads.js';
import type { Db } from '../../../db/client.js';
import { Conflict, DomainError, Forbidden, InvalidInput, NotFound } from '../errors.js';
import { createFieldCipher } from '../field-crypto.js';
import type { JobFailure, JobReply, JobRequest } from './import-worker.js';
import { runImportJob, type ImportJob, type JobResult } from './jobs.js';

/** Runs import jobs on one thread of their own, started on first use; close() when the app closes. */
export interface ImportRunner {
  run<J extends ImportJob>(job: J): Promise<JobResult<J>>;
  close(): Promise<void>;
}

/** A domain error crossing the thread boundary comes back as the same class (404 stays 404). */
function revive(error: JobFailure): Error {
  switch (error.name) {
    case 'NotFound':
      return new NotFound();
    case 'Forbidden':
      return new Forbidden(error.messageKey);
    case 'Conflict':
      return new Conflict(error.messageKey ?? 'errors.conflict', error.params);
    case 'InvalidInput':
      return new InvalidInput(error.fieldErrors ?? {}, error.messageKey);
    case 'DomainError':
      return new DomainError(error.messageKey ?? 'errors.badRequest', error.params);
    default:
      return new Error(`import worker: ${error.message}`);
  }
}

/**
 * The import thread's heap, kept small on purpose: reading a workbook makes garbage fast, and
 * without a ceiling V8 lets the heap grow far past what is alive before collecting (the app's
 * RSS passed 490 MB). What stays alive of a 50,000-row import is well under this.
 */
const IMPORT_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 160 };

/** Compiled or from TypeScript, through the one worker starter (see worker-threads.ts). */
function startWorker(databasePath: string | null, dataKey: Buffer, previousKeys: readonly Buffer[], heap: ResourceLimits): Worker {
  const keys = { dataKey: dataKey.toString('base64'), previousKeys: previousKeys.map((k) => k.toString('base64')) };
  return startModuleWorker(import.meta.url, 'import-worker', { databasePath, ...keys }, heap);
}

/**
 * One worker thread with its own connection to the database file. An in-memory database cannot
 * be shared with another thread: there the database jobs run in process (parsing still moves).
 */
export function createImportRunner(db: Db, dataKey: Buffer, previousKeys: readonly Buffer[] = [], heap: ResourceLimits = IMPORT_HEAP): ImportRunner {
  const databasePath = db.$client.memory ? null : db.$client.name;
  const local = { db: () => db, cipher: createFieldCipher(dataKey) };
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: never) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const start = () => {
    const w = startWorker(databasePath, dataKey, previousKeys, heap);
    w.on('message', (reply: JobReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (reply.ok) pending.resolve(reply.result as never);
      else pending.reject(revive(reply.error));
    });
    // A file whose rows do not fit the thread's heap is refused like any oversized request, not a 500.
    w.on('error', (error: Error & { code?: string }) => failAll(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new DomainError('errors.tooLarge') : error));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('import worker stopped'));
    });
    return w;
  };
  return {
    run<J extends ImportJob>(job: J): Promise<JobResult<J>> {
      if (job.kind !== 'parse' && databasePath === null) return runImportJob(local, job) as Promise<JobResult<J>>;
      worker ??= start();
      worker.ref();
      const id = nextId++;
      // The upload's bytes move to the worker instead of being copied.
      const transfer = job.kind === 'parse' || job.kind === 'upload' ? [job.bytes.buffer as ArrayBuffer] : [];
      return new Promise<JobResult<J>>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: never) => void, reject });
        worker!.postMessage({ id, job } satisfies JobRequest, transfer);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error('import worker closed'));
    },
  };
}
