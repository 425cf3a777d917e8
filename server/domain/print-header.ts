/**
 * The running header and footer of a printed report, as CSS @page margin boxes (Chromium 131+,
 * Firefox 138+ draw them; an older browser prints the page without them). Their text is per
 * report, so it is served as a small stylesheet rather than written into the page: the content
 * security policy allows no inline style.
 */
export interface PrintHeader {
  organization: string;
  period: string;
  printedOn: string;
}

/** A CSS string literal: everything but plain letters, digits and spaces as an escape, so no text can close it. */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) out += /^[\p{L}\p{N} ]$/u.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `;
  return `${out}"`;
}

export function printHeaderCss(h: PrintHeader): string {
  const box = (name: string, content: string, align: string) =>
    `  @${name} { content: ${content}; font-size: 8pt; color: #333; text-align: ${align}; vertical-align: middle; }`;
  return [
    '@page {',
    box('top-left', cssString(h.organization), 'left'),
    box('top-right', cssString(h.period), 'right'),
    box('bottom-left', cssString(h.printedOn), 'left'),
    box('bottom-right', 'counter(page) " / " counter(pages)', 'right'),
    '}',
    '',
  ].join('\n');
}
