import { Worker } from 'node:worker_threads';
import type { ParseReply, ParseRequest } from './parse-worker.js';
import type { ReadResult } from './read-upload.js';

/** Parses uploads on one worker thread, started on first use; close() when the app closes. */
export interface UploadParser {
  parse(bytes: Buffer, fileName: string, sheet: string | null): Promise<ReadResult>;
  close(): Promise<void>;
}

/** tsx's hooks are registered inside the worker first (see figures-pool.ts for why). */
function startWorker(): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}

export function createUploadParser(): UploadParser {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: ReadResult) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const start = () => {
    const w = startWorker();
    w.on('message', (reply: ParseReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(`import parser: ${reply.message}`));
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('import parser stopped'));
    });
    return w;
  };
  return {
    parse(bytes, fileName, sheet) {
      worker ??= start();
      worker.ref();
      const id = nextId++;
      // A copy of its own, so its memory moves to the worker instead of being cloned.
      const copy = new Uint8Array(bytes);
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker!.postMessage({ id, bytes: copy, fileName, sheet } satisfies ParseRequest, [copy.buffer]);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
      failAll(new Error('import parser closed'));
    },
  };
}
