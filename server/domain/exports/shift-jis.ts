import iconv from 'iconv-lite';

/** What Japanese Excel, freee and MoneyForward call "Shift_JIS" is Windows-31J (CP932). */
const CP932 = 'cp932';

/** A character Shift_JIS cannot hold, where it is: reported before any download (issue 12). */
export interface UnmappableChar {
  /** Row of the file, 1 = the header. */
  row: number;
  column: string;
  char: string;
  /** U+XXXX, so an invisible or look-alike character can still be found. */
  codePoint: string;
  /** Which record the row comes from (e.g. 支給記録 #12), when the export knows. */
  record: string | null;
}

const codePointOf = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The characters of a text that do not survive CP932 both ways. A one-way mapping (e.g. WAVE DASH
 * 〜 written as FULLWIDTH TILDE ～) counts as unmappable too: it would silently change the text.
 */
export function unmappableChars(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- ASCII always maps: skip the work for plain cells.
  if (/^[\x00-\x7f]*$/.test(text)) return [];
  if (iconv.decode(iconv.encode(text, CP932), CP932) === text) return [];
  const found: string[] = [];
  for (const char of text) {
    if (found.includes(char)) continue;
    if (iconv.decode(iconv.encode(char, CP932), CP932) !== char) found.push(char);
  }
  return found;
}

export function encodeShiftJis(text: string): Uint8Array {
  return iconv.encode(text, CP932);
}

/** The unmappable characters of one row of cells, with their place (`row` 1 = the header). */
export function rowUnmappable(header: readonly string[], cells: readonly (string | number | null)[], row: number, record: string | null): UnmappableChar[] {
  const problems: UnmappableChar[] = [];
  cells.forEach((cell, i) => {
    if (typeof cell !== 'string') return;
    for (const char of unmappableChars(cell)) problems.push({ row, column: header[i] ?? String(i + 1), char, codePoint: codePointOf(char), record });
  });
  return problems;
}
