// The HEIC worker: decoding an iPhone photo takes seconds of CPU in WASM, so it runs here and the
// request thread stays free. It holds no database and sees only the photo's bytes.
import { setPriority } from 'node:os';
import { parentPort, threadId } from 'node:worker_threads';
import convert from 'heic-convert';

export interface HeicRequest {
  id: number;
  bytes: Uint8Array;
}
export type HeicReply = { id: number; ok: true; jpeg: Uint8Array; threadId: number } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('heic-worker must run as a worker thread');

// On Linux a nice value is per thread: this one yields the CPU to the request-serving thread.
try {
  setPriority(10);
} catch {
  // Not permitted on this platform: run at normal priority.
}

port.on('message', async ({ id, bytes }: HeicRequest) => {
  try {
    // Quality stays high because the result is re-encoded once more on the way to storage.
    const jpeg = new Uint8Array(await convert({ buffer: bytes, format: 'JPEG', quality: 0.95 }));
    port.postMessage({ id, ok: true, jpeg, threadId } satisfies HeicReply, [jpeg.buffer]);
  } catch (error) {
    port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies HeicReply);
  }
});
