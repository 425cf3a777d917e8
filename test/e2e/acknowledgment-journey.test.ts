import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { checkPage } from './checks.js';
import { SCREENSHOT_DIR, startE2E } from './harness.js';

// A supporter hands over money, prints the 受領書 in Japanese and English, and the person signs it.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
let id: number;

beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
  const c = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 });
  id = makeDisbursement(e2e.db, {
    caseId: c.id,
    submittedBy: world.tokyoSupporter.id,
    paidOn: '2025-06-15',
    lines: [
      { category: 'shelter', amount: 10_000 },
      { category: 'food', amount: 2_000 },
    ],
  }).id;
});
afterAll(async () => e2e?.close());

/** Pages of a PDF, read by poppler's pdfinfo (installed with the browser's packages). */
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);

it('a supporter opens the record, prints an A5 acknowledgment in Japanese and English, on one sheet', async () => {
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.goto(`${e2e.baseUrl}/disbursements/${id}`);
  await page.getByRole('link', { name: '受領書を印刷' }).click();
  await page.waitForURL(new RegExp(`/disbursements/${id}/acknowledgment`));
  await page.getByLabel('本人の言語').selectOption('en');
  await page.getByLabel('用紙').selectOption('a5');
  await page.getByRole('button', { name: '表示' }).click();
  await page.waitForURL(/recipient=en/);
  expect(await page.locator('.ack-column[lang="ja"] .ack-amount').allTextContents()).toEqual(['¥12,000', '金壱万弐千円也']);
  expect(await page.locator('.ack-column[lang="en"] .ack-title').textContent()).toBe('Acknowledgment of receipt');
  await expect.poll(() => page.getByRole('button', { name: '印刷する' }).isVisible()).toBe(true);
  await checkPage(page, 'ack-01-a5-ja-en');

  await page.emulateMedia({ media: 'print' });
  const pdf = path.join(SCREENSHOT_DIR, 'acknowledgment-a5.pdf');
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  expect(pageCount(pdf)).toBe(1);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('金壱万弐千円也');
  expect(text).not.toContain('印刷の設定');
  await context.close();
});
