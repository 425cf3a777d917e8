// The import thread: reading a 50,000-row workbook, judging every row and writing the batch take
// seconds of CPU, which must not stall the requests the main thread serves (as the figures worker
// does for reports). Its own connection to the database file; WAL lets the app keep reading.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../../../db/client.js';
import { bindAuditKey } from '../audit-key.js';
import { DomainError, InvalidInput } from '../errors.js';
import { createFieldCipher } from '../field-crypto.js';
import { runImportJob, type ImportJob, type WorkerContext } from './jobs.js';
import type { WorkerFailure } from '../worker-threads.js';

export interface JobRequest {
  id: number;
  job: ImportJob;
}
export type JobReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerFailure };

const port = parentPort;
if (!port) throw new Error('import-worker must run as a worker thread');
try {
  setPriority(10);
} catch {
  // Not permitted here: normal priority.
}

const { databasePath, dataKey, previousKeys } = workerData as { databasePath: string | null; dataKey: string; previousKeys: string[] };
const previous = previousKeys.map((k) => Buffer.from(k, 'base64'));
let db: Db | null = null;
const context: WorkerContext = {
  db: () => {
    if (!databasePath) throw new Error('no database file for the import worker');
    // The worker writes audit events (import.committed): its connection needs the chain's key too.
    return (db ??= bindAuditKey(openDatabase(databasePath), Buffer.from(dataKey, 'base64'), previous));
  },
  cipher: createFieldCipher(Buffer.from(dataKey, 'base64'), previous),
};

port.on('message', ({ id, job }: JobRequest) => {
  runImportJob(context, job).then(
    (result) => port.postMessage({ id, ok: true, result } satisfies JobReply),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      const domain = e instanceof DomainError ? { messageKey: e.messageKey, params: e.params } : {};
      const fields = e instanceof InvalidInput ? { fieldErrors: e.fieldErrors } : {};
      port.postMessage({ id, ok: false, error: { name: e.name, message: e.message, ...domain, ...fields } } satisfies JobReply);
    },
  );
});
