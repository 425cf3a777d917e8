// The import parser's thread: reading a 50,000-row workbook takes seconds of CPU, which must not
// stall the requests the main thread serves (as the figures worker does for reports).
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { readUpload, type ReadResult } from './read-upload.js';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  fileName: string;
  sheet: string | null;
}
export type ParseReply = { id: number; ok: true; result: ReadResult } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');
try {
  setPriority(10);
} catch {
  // Not permitted here: normal priority.
}

port.on('message', ({ id, bytes, fileName, sheet }: ParseRequest) => {
  readUpload(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName, sheet).then(
    (result) => port.postMessage({ id, ok: true, result } satisfies ParseReply),
    (error: unknown) => port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ParseReply),
  );
});
