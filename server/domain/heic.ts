import convert from 'heic-convert';

/**
 * HEIC/HEIF (iPhone photos) to JPEG with heic-convert, a WASM build of libheif: the prebuilt
 * libvips in sharp has no HEVC decoder (a patent-encumbered codec). The JPEG is then cleaned like
 * any other; the decoder keeps no EXIF, so location data cannot pass through. Quality stays high
 * because the result is re-encoded once more.
 */
export async function heicToJpeg(bytes: Buffer): Promise<Buffer> {
  const jpeg = await convert({ buffer: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), format: 'JPEG', quality: 0.95 });
  return Buffer.from(jpeg);
}
