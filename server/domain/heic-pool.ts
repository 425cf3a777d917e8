import { createWorkerPool, startModuleWorker } from './worker-threads.js';
import { Busy } from './errors.js';
import type { HeicReply, HeicRequest } from './heic-worker.js';

/** Photos converting or waiting at once; one more is refused (Busy) rather than queued for minutes. */
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
  let done = 0;
  let lastThreadId: number | null = null;
  const pool = createWorkerPool<HeicRequest, HeicReply>({
    name: 'heic worker',
    start: () => startModuleWorker(import.meta.url, 'heic-worker', {}),
    failure: (reply) => new Error(`heic worker: ${reply.message}`),
  });
  return {
    async convert(bytes) {
      if (pool.waiting >= queueLimit) throw new Busy('heic.busy');
      // A copy of its own moves to the worker: the caller's buffer may share memory with others.
      const copy = new Uint8Array(bytes);
      const reply = await pool.request({ bytes: copy }, [copy.buffer]);
      done += 1;
      lastThreadId = reply.threadId;
      return Buffer.from(reply.jpeg.buffer, reply.jpeg.byteOffset, reply.jpeg.byteLength);
    },
    stats: () => ({ done, waiting: pool.waiting, lastThreadId }),
    close: () => pool.close(),
  };
}
