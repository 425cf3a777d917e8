// The figures worker: its own read-only connection to the app's database file (WAL lets it read
// while the main thread writes), so a long report never blocks other requests (issue 5, part 7).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/client.js';
import { DomainError } from './errors.js';
import { collectFiguresTask, finishFiguresTask, type FiguresTask } from './figures/tasks.js';
import type { WorkerFailure } from './worker-threads.js';

export interface WorkerRequest {
  id: number;
  task: FiguresTask;
}
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerFailure };

const port = parentPort;
if (!port) throw new Error('figures-worker must run as a worker thread');

// On Linux a nice value is per thread: this one yields the CPU to the request-serving thread.
try {
  setPriority(10);
} catch {
  // Not permitted on this platform: run at normal priority.
}

const db = openDatabase((workerData as { databasePath: string }).databasePath, { readonly: true });
// Reports read large index ranges: a bigger page cache and memory-mapped reads help them.
db.$client.pragma('cache_size = -65536');
db.$client.pragma('mmap_size = 1073741824');
// One snapshot for all the queries of a task, so the figures agree with each other; a workbook is
// then written outside it (exceljs is asynchronous).
const inSnapshot = db.$client.transaction((task: FiguresTask) => collectFiguresTask(db, task));

port.on('message', async ({ id, task }: WorkerRequest) => {
  try {
    const result = await finishFiguresTask(inSnapshot(task));
    const transfer = result && typeof result === 'object' && 'body' in result && result.body instanceof Uint8Array ? [result.body.buffer] : [];
    port.postMessage({ id, ok: true, result } satisfies WorkerReply, transfer as ArrayBuffer[]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const domain = e instanceof DomainError ? { messageKey: e.messageKey, params: e.params } : {};
    port.postMessage({ id, ok: false, error: { name: e.name, message: e.message, ...domain } } satisfies WorkerReply);
  }
});
