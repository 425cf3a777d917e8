import iconv from 'iconv-lite';

/**
 * A CSV's bytes to text. UTF-8 (with or without BOM) is tried first, since valid UTF-8 is almost
 * never accidental; otherwise Shift_JIS (as Windows writes it, CP932). A file whose lines disagree
 * (some UTF-8 Japanese, some not) was pasted together from two sources: refused, never guessed.
 */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';
export type DecodeResult = { ok: true; encoding: CsvEncoding; text: string } | { ok: false; problem: 'imports.encoding.mixed' | 'imports.encoding.unknown' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const hasHighBytes = (bytes: Uint8Array) => bytes.some((b) => b >= 0x80);

/** Lines that carry non-ASCII bytes, split into those that are valid UTF-8 and those that are not. */
function lineKinds(bytes: Uint8Array): { utf8: number; other: number } {
  let utf8 = 0;
  let other = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const line = bytes.subarray(start, i);
      if (hasHighBytes(line)) {
        if (isUtf8(line)) utf8 += 1;
        else other += 1;
      }
      start = i + 1;
    }
  }
  return { utf8, other };
}

export function decodeCsv(bytes: Uint8Array): DecodeResult {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    if (isUtf8(body)) return { ok: true, encoding: 'utf-8-bom', text: strictUtf8.decode(body) };
    return { ok: false, problem: 'imports.encoding.mixed' };
  }
  if (isUtf8(bytes)) return { ok: true, encoding: 'utf-8', text: strictUtf8.decode(bytes) };
  const kinds = lineKinds(bytes);
  if (kinds.utf8 > 0 && kinds.other > 0) return { ok: false, problem: 'imports.encoding.mixed' };
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp932');
  // iconv-lite marks bytes CP932 cannot read with U+FFFD: nothing is imported as a guess.
  if (text.includes('\ufffd')) return { ok: false, problem: 'imports.encoding.unknown' };
  return { ok: true, encoding: 'shift_jis', text };
}
