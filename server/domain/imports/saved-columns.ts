/**
 * A saved mapping names columns by header text, not position, so it applies to the next file
 * whatever the column order (shared by every importer).
 */
export function columnsByHeader(columns: Partial<Record<string, number>>, headers: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(columns).map(([field, i]) => [field, headers[i!] ?? '']));
}

/** The saved header names found in this file's headers, as column indexes; a missing header is simply not mapped. */
export function columnsFromHeaders<F extends string>(byHeader: Record<string, string>, headers: string[]): Partial<Record<F, number>> {
  const columns: Partial<Record<F, number>> = {};
  for (const [field, header] of Object.entries(byHeader)) {
    const at = headers.indexOf(header);
    if (at >= 0) columns[field as F] = at;
  }
  return columns;
}
