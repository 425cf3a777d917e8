import { createWorkerPool, reviveFailure, startModuleWorker, type PoolObserver } from './worker-threads.js';
import type { Db } from '../../db/client.js';
import type { WorkerReply, WorkerRequest } from './figures-worker.js';
import { runFiguresTask, type FiguresResult, type FiguresTask } from './figures/tasks.js';

/** Runs figure tasks off the request thread; close() on app close so nothing hangs. */
export interface FiguresRunner {
  run<T extends FiguresTask>(task: T): Promise<FiguresResult<T>>;
  close(): Promise<void>;
  readonly mode: 'worker' | 'in-process';
}

/** Told about the queue and each finished task (for /metrics). */
export type FiguresObserver = PoolObserver;

/**
 * One worker thread (the machine has two cores; the other serves requests), started on first use,
 * with its own read-only connection to the same database file. An in-memory database cannot be
 * shared with another thread, so there the tasks run in process.
 */
export function createFiguresRunner(db: Db, observer?: FiguresObserver): FiguresRunner {
  if (db.$client.memory) {
    return { mode: 'in-process', run: async (task) => runFiguresTask(db, task), close: async () => {} };
  }
  const databasePath = db.$client.name;
  const pool = createWorkerPool<WorkerRequest, WorkerReply>({
    name: 'figures worker',
    start: () => startModuleWorker(import.meta.url, 'figures-worker', { databasePath }),
    failure: (reply) => reviveFailure(reply.error, 'figures worker'),
    observer,
  });
  return {
    mode: 'worker',
    async run<T extends FiguresTask>(task: T): Promise<FiguresResult<T>> {
      const reply = await pool.request({ task });
      return reply.result as FiguresResult<T>;
    },
    close: () => pool.close(),
  };
}
