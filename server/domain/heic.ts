import { createHeicConverter, type HeicConverter } from './heic-pool.js';

/**
 * HEIC/HEIF (iPhone photos) to JPEG with heic-convert, a WASM build of libheif: the prebuilt
 * libvips in sharp has no HEVC decoder (a patent-encumbered codec). The JPEG is then cleaned like
 * any other; the decoder keeps no EXIF, so location data cannot pass through.
 *
 * The decoding takes seconds of CPU for a full-size photo, so it runs on the process's one HEIC
 * worker thread (heic-pool.ts), shared by every request and started on first use.
 */
let shared: HeicConverter | null = null;
export const heicConverter = (): HeicConverter => (shared ??= createHeicConverter());

export function heicToJpeg(bytes: Buffer): Promise<Buffer> {
  return heicConverter().convert(bytes);
}

/** Swap the shared converter (a test bounds its queue); returns the one it replaced. */
export function replaceHeicConverter(next: HeicConverter): HeicConverter | null {
  const previous = shared;
  shared = next;
  return previous;
}
