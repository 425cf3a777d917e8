import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { PHONE, shot } from './harness.js';

// Browser-side code is passed as strings: the project's TypeScript has no DOM library.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Every page a journey checked, for the report on issue 7. */
export const checkedPages = new Set<string>();

/** axe-core in the page; serious and critical violations are returned (and printed). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  );
  return violations;
}

interface Target {
  what: string;
  width: number;
  height: number;
}

/**
 * Every visible link, button and form control is at least 44×44 CSS px (WCAG 2.5.5, a thumb on a
 * small phone; the 24 px of 2.5.8 is not enough in a hospital corridor).
 * Links inside a sentence (inline, with other text in the same block) are exempt, as the criterion allows.
 */
const SMALL_TARGETS = `(() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    let r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // A checkbox's target is the box and its label together (tapping either toggles it).
    for (const label of el.labels || []) {
      const l = label.getBoundingClientRect();
      const left = Math.min(r.left, l.left), top = Math.min(r.top, l.top);
      r = { left, top, right: Math.max(r.right, l.right), width: Math.max(r.right, l.right) - left, height: Math.max(r.bottom, l.bottom) - top };
    }
    if (r.right <= 0 || r.left >= document.documentElement.scrollWidth) continue; // moved off-screen (the skip link until focused)
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const block = el.parentElement;
      if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
    }
    if (r.width < 44 || r.height < 44) {
      small.push({ what: el.outerHTML.slice(0, 120), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 });
    }
  }
  return small;
})()`;

/** Inputs without a programmatic label (label[for], a wrapping label, aria-label or aria-labelledby). */
const UNLABELLED = `(() => [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
  .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120)))()`;

/** What sticks out past the right edge (outermost elements only), to say why a page scrolls sideways. */
const STICKING_OUT = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.checkVisibility());
  return out.filter((el) => !out.includes(el.parentElement)).slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(el.getBoundingClientRect().right));
})()`;

/** How wide the document is at a given viewport width (320 px: the narrowest phones still in use), and why. */
export async function scrollWidthAt(page: Page, width: number): Promise<{ scrollWidth: number; stickingOut: string[] }> {
  await page.setViewportSize({ width, height: PHONE.height });
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  const stickingOut = scrollWidth > width ? await page.evaluate<string[]>(STICKING_OUT) : [];
  await page.setViewportSize(PHONE);
  return { scrollWidth, stickingOut };
}

/**
 * The checks every journey page passes: a screenshot, axe (zero serious/critical), labels on
 * every input, target sizes, and no horizontal scrolling at 320 px.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await shot(page, name);
  checkedPages.add(new URL(page.url()).pathname.replace(/\/\d+/g, '/:id'));
  const violations = await axeViolations(page);
  if (violations.length > 0) console.error(`axe on ${name} (${page.url()}):\n${JSON.stringify(violations, null, 2)}`);
  // Soft: one run reports every problem of every page, and the test still fails.
  expect
    .soft(
      violations.map((v) => `${v.impact} ${v.id}`),
      `axe on ${name}`,
    )
    .toEqual([]);
  expect.soft(await page.evaluate<string[]>(UNLABELLED), `unlabelled inputs on ${name}`).toEqual([]);
  expect.soft(await page.evaluate<Target[]>(SMALL_TARGETS), `targets under 44×44 on ${name}`).toEqual([]);
  const narrow = await scrollWidthAt(page, 320);
  expect.soft(narrow.scrollWidth, `width at 320 px on ${name}: ${narrow.stickingOut.join(', ')}`).toBeLessThanOrEqual(320);
}
