import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';
import { Conflict, DomainError, Forbidden, InvalidInput, NotFound } from './errors.js';

/**
 * Start the worker module `name` that sits beside the caller (`fromUrl` = its import.meta.url).
 * Compiled (dist/), that is the .js file; from TypeScript, tsx-worker.mjs registers tsx in the
 * thread and imports the .ts file. No eval either way, and one rule for every pool.
 */
export function startModuleWorker(fromUrl: string, name: string, workerData: Record<string, unknown>, resourceLimits?: ResourceLimits): Worker {
  if (fromUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, fromUrl), { execArgv: [], workerData, resourceLimits });
  const tsEntry = new URL(`./${name}.ts`, fromUrl).href;
  return new Worker(new URL('./tsx-worker.mjs', import.meta.url), { execArgv: [], workerData: { ...workerData, tsEntry }, resourceLimits });
}

/** What a worker sends back when a job threw: enough to rebuild a domain error on this side. */
export interface WorkerFailure {
  name: string;
  message: string;
  messageKey?: string;
  params?: Record<string, string | number>;
  fieldErrors?: Record<string, string>;
}

/** A domain error crossing the thread boundary comes back as the same class (404 stays 404). */
export function reviveFailure(error: WorkerFailure, workerName: string): Error {
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
      return new Error(`${workerName}: ${error.message}`);
  }
}

/** Told about the queue and each answered request (for /metrics). */
export interface PoolObserver {
  queued(length: number): void;
  finished(seconds: number): void;
}

type Reply = { id: number; ok: boolean };

export interface WorkerPoolOptions<R extends Reply> {
  /** Used in the errors of a stopped or closed worker ("heic worker stopped"). */
  name: string;
  start: () => Worker;
  /** The error a failed reply rejects with. */
  failure: (reply: Extract<R, { ok: false }>) => Error;
  /** The error an 'error' event fails every waiting request with; default: the event's own. */
  workerError?: (error: Error & { code?: string }) => Error;
  observer?: PoolObserver;
}

/** Requests to one worker thread, each answered by the reply that carries its id. */
export interface WorkerPool<Q extends { id: number }, R extends Reply> {
  request(message: Omit<Q, 'id'>, transfer?: readonly Transferable[]): Promise<Extract<R, { ok: true }>>;
  /** Requests sent and not yet answered. */
  readonly waiting: number;
  close(): Promise<void>;
}

/**
 * One worker, started on first use and replaced on the next request after it dies. Busy, it keeps
 * the process alive until it answers; idle, it never does.
 */
export function createWorkerPool<Q extends { id: number }, R extends Reply>(options: WorkerPoolOptions<R>): WorkerPool<Q, R> {
  const { name, observer } = options;
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (reply: Extract<R, { ok: true }>) => void; reject: (error: Error) => void; started: bigint }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    observer?.queued(0);
  };
  const start = (): Worker => {
    const w = options.start();
    w.on('message', (reply: R) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      observer?.queued(waiting.size);
      observer?.finished(Number(process.hrtime.bigint() - pending.started) / 1e9);
      if (waiting.size === 0) w.unref();
      if (reply.ok) pending.resolve(reply as Extract<R, { ok: true }>);
      else pending.reject(options.failure(reply as Extract<R, { ok: false }>));
    });
    w.on('error', (error: Error & { code?: string }) => failAll(options.workerError ? options.workerError(error) : error));
    w.on('exit', () => {
      // A crashed worker is replaced on the next request; whatever it held fails now.
      if (worker === w) worker = null;
      failAll(new Error(`${name} stopped`));
    });
    return w;
  };
  return {
    request(message, transfer = []) {
      worker ??= start();
      worker.ref();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, started: process.hrtime.bigint() });
        observer?.queued(waiting.size);
        worker!.postMessage({ ...message, id }, transfer);
      });
    },
    get waiting() {
      return waiting.size;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error(`${name} closed`));
    },
  };
}
