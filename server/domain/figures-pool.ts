import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from './worker-threads.js';
import type { Db } from '../../db/client.js';
import { Conflict, DomainError, Forbidden, InvalidInput, NotFound } from './errors.js';
import type { WorkerReply, WorkerRequest } from './figures-worker.js';
import { runFiguresTask, type FiguresResult, type FiguresTask } from './figures/tasks.js';

/** Runs figure tasks off the request thread; close() on app close so nothing hangs. */
export interface FiguresRunner {
  run<T extends FiguresTask>(task: T): Promise<FiguresResult<T>>;
  close(): Promise<void>;
  readonly mode: 'worker' | 'in-process';
}

/** A domain error crossing the thread boundary comes back as the same class (404 stays 404). */
function revive(error: Extract<WorkerReply, { ok: false }>['error']): Error {
  switch (error.name) {
    case 'NotFound':
      return new NotFound();
    case 'Forbidden':
      return new Forbidden(error.messageKey);
    case 'Conflict':
      return new Conflict(error.messageKey ?? 'errors.conflict', error.params);
    case 'InvalidInput':
      return new InvalidInput({}, error.messageKey);
    case 'DomainError':
      return new DomainError(error.messageKey ?? 'errors.badRequest', error.params);
    default:
      return new Error(`figures worker: ${error.message}`);
  }
}

/**
 * Compiled (dist/), the worker is the .js file beside this one. Run from TypeScript (tsx, vitest),
 * a small plain-JS entry registers tsx in the worker thread and then imports the .ts worker.
 */
function startWorker(databasePath: string): Worker {
  return startModuleWorker(import.meta.url, 'figures-worker', { databasePath });
}

/** Told about the queue and each finished task (for /metrics). */
export interface FiguresObserver {
  queued(length: number): void;
  finished(seconds: number): void;
}

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
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void; started: bigint }>();

  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    observer?.queued(0);
  };
  const start = (): Worker => {
    const w = startWorker(databasePath);
    w.on('message', (reply: WorkerReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      observer?.queued(waiting.size);
      observer?.finished(Number(process.hrtime.bigint() - pending.started) / 1e9);
      if (waiting.size === 0) w.unref();
      if (reply.ok) pending.resolve(reply.result as never);
      else pending.reject(revive(reply.error));
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', () => {
      // A crashed worker is replaced on the next task; whatever it held fails now.
      if (worker === w) worker = null;
      failAll(new Error('figures worker stopped'));
    });
    return w;
  };

  return {
    mode: 'worker',
    run<T extends FiguresTask>(task: T): Promise<FiguresResult<T>> {
      worker ??= start();
      // Busy, it keeps the process alive until it answers; idle, it never does.
      worker.ref();
      const id = nextId++;
      return new Promise<FiguresResult<T>>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: never) => void, reject, started: process.hrtime.bigint() });
        observer?.queued(waiting.size);
        worker!.postMessage({ id, task } satisfies WorkerRequest);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error('figures worker closed'));
    },
  };
}
