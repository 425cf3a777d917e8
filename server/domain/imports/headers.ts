/**
 * Header matching shared by every importer (records, money in): a header proposes the field one
 * of whose words it is, after folding width, case, spaces and brackets, so 「支給日（実績）」 and
 * 'Paid on' both match.
 */

/** Header text folded for comparison: NFKC, lower case, no spaces, brackets or separators. */
export function foldHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-・:：/]+/g, '')
    .replace(/[()（）[\]【】「」]/g, '');
}

export interface HeaderMatcher<F extends string> {
  /** The field a header names, if any: an exact synonym first, then a header that starts with one (金額（税込）). */
  fieldForHeader(header: string): F | null;
  /** Column index per field: each field takes the first header that names it; a column serves one field. */
  proposeMapping(headers: string[]): Partial<Record<F, number>>;
}

export function headerMatcher<F extends string>(fields: readonly F[], synonyms: Record<F, string[]>): HeaderMatcher<F> {
  const folded = Object.fromEntries(fields.map((f) => [f, synonyms[f].map(foldHeader)])) as Record<F, string[]>;
  const fieldForHeader = (header: string): F | null => {
    const h = foldHeader(header);
    if (h === '') return null;
    for (const f of fields) if (folded[f].includes(h)) return f;
    for (const f of fields) if (folded[f].some((s) => s.length >= 2 && h.startsWith(s))) return f;
    return null;
  };
  return {
    fieldForHeader,
    proposeMapping(headers) {
      const mapping: Partial<Record<F, number>> = {};
      headers.forEach((header, i) => {
        const field = fieldForHeader(header);
        if (field && mapping[field] === undefined) mapping[field] = i;
      });
      return mapping;
    },
  };
}
