// Furigana in catalog text, Aozora-style: ｜漢字《かんじ》 (U+FF5C, base, 《reading》).
// HTML body text shows it as <ruby>; everything else (attributes, <title>, files, mail, logs) the base only.

const RUBY = /｜([^｜《》<>]+)《([^｜《》<>]+)》/g;

/** 漢字 for ｜漢字《かんじ》: for any output that is not HTML body text. */
export function stripRuby(text: string): string {
  return text.replace(RUBY, '$1');
}

/** Already-escaped HTML text → the same with <ruby> elements (the base and reading stay escaped). */
export function rubyToHtml(escapedText: string): string {
  return escapedText.replace(RUBY, '<ruby>$1<rt>$2</rt></ruby>');
}

/** What is wrong with the notation in one message (empty: nothing). */
export function rubyProblems(text: string): string[] {
  const problems: string[] = [];
  const rest = text.replace(RUBY, '');
  if (/[｜《》]/.test(rest)) problems.push('unbalanced ruby notation (｜base《reading》)');
  for (const [, base, reading] of text.matchAll(RUBY)) {
    if (!base!.trim() || !reading!.trim()) problems.push('empty ruby base or reading');
  }
  return problems;
}

export function hasRuby(text: string): boolean {
  return /[｜《》]/.test(text);
}

// Elements whose content is text only: ruby markup there would show as tags or break the page.
const PLAIN_ELEMENTS = new Set(['title', 'script', 'style', 'textarea', 'option']);

/**
 * Render the notation in a finished HTML page: <ruby> in body text, the base alone inside tags
 * (attribute values) and in text-only elements. Text was escaped by Eta before this runs, so a
 * reading can carry no markup of its own.
 */
export function renderRubyInHtml(html: string): string {
  if (!hasRuby(html)) return html;
  let out = '';
  let plainDepth = 0;
  const parts = html.split(/(<[^>]*>)/);
  for (const part of parts) {
    if (part.startsWith('<')) {
      const tag = /^<(\/?)([a-zA-Z][\w-]*)/.exec(part);
      if (tag && PLAIN_ELEMENTS.has(tag[2]!.toLowerCase())) plainDepth = Math.max(0, plainDepth + (tag[1] ? -1 : 1));
      out += stripRuby(part);
    } else {
      out += plainDepth > 0 ? stripRuby(part) : rubyToHtml(part);
    }
  }
  return out;
}
