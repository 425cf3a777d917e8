import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from './worker-threads.js';
import { Busy } from './errors.js';
import type { HeicReply, HeicRequest } from './heic-worker.js';

/** Photos converting or waiting at once; one more is refused (503) rather than queued for minutes. */
export const HEIC_QUEUE_LIMIT = 4;

/** HEIC to JPEG on a thread of its own; stats() says how much it has done and on which thread. */
export interface HeicConverter {
  convert(bytes: Uint8Array): Promise<Buffer>;
  stats(): { done: number; waiting: number; lastThreadId: number | null };
  close(): Promise<void>;
}

/**
 * One worker (the machine has two cores; the other serves requests), started on first use and
 * unreferenced when idle so it never keeps the process alive. The queue is bounded: a burst of
 * full-size photos gets a clear "busy, try again" instead of a request that waits for minutes.
 */
export function createHeicConverter(queueLimit = HEIC_QUEUE_LIMIT): HeicConverter {
  let worker: Worker | null = null;
  let nextId = 1;
  let done = 0;
  let lastThreadId: number | null = null;
  const waiting = new Map<number, { resolve: (jpeg: Buffer) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = startModuleWorker(import.meta.url, 'heic-worker', {});
    w.on('message', (reply: HeicReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (!reply.ok) return pending.reject(new Error(`heic worker: ${reply.message}`));
      done += 1;
      lastThreadId = reply.threadId;
      pending.resolve(Buffer.from(reply.jpeg.buffer, reply.jpeg.byteOffset, reply.jpeg.byteLength));
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', () => {
      // A crashed worker is replaced on the next photo; whatever it held fails now.
      if (worker === w) worker = null;
      failAll(new Error('heic worker stopped'));
    });
    return w;
  };
  return {
    convert(bytes) {
      if (waiting.size >= queueLimit) return Promise.reject(new Busy('heic.busy'));
      worker ??= start();
      worker.ref();
      const id = nextId++;
      // A copy of its own moves to the worker: the caller's buffer may share memory with others.
      const copy = new Uint8Array(bytes);
      return new Promise<Buffer>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker!.postMessage({ id, bytes: copy } satisfies HeicRequest, [copy.buffer]);
      });
    },
    stats: () => ({ done, waiting: waiting.size, lastThreadId }),
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error('heic worker closed'));
    },
  };
}
