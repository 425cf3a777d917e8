import { describe, expect, it } from 'vitest';
import { cssString, printHeaderCss } from '../../server/domain/print-header.js';

describe('the printed report header (CSS @page margin boxes)', () => {
  it('escapes everything that could end the string or the rule', () => {
    const text = 'A"}\\ @page{x} </style>\n団体';
    const literal = cssString(text);
    const inner = literal.slice(1, -1);
    expect(inner).not.toMatch(/["{}<>\n]/);
    // Every backslash starts a hex escape ended by a space.
    expect(inner.replace(/\\[0-9a-f]+ /g, '')).not.toContain('\\');
    expect(literal).toBe('"A\\22 \\7d \\5c  \\40 page\\7b x\\7d  \\3c \\2f style\\3e \\a 団体"');
  });

  it('puts the organization, period, print date and page counter in the four corners', () => {
    const css = printHeaderCss({ organization: 'ネットワーク事務局', period: '2024年度', printedOn: '印刷日 2025-06-15' });
    expect(css).toContain('@top-left { content: "ネットワーク事務局"');
    expect(css).toContain('@top-right { content: "2024年度"');
    expect(css).toContain('@bottom-left { content: "印刷日 2025\\2d 06\\2d 15"');
    expect(css).toContain('@bottom-right { content: counter(page) " / " counter(pages)');
  });
});
