import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app.js';
import { systemClock } from '../../server/domain/clock.js';
import { formatDate } from '../../server/domain/date-labels.js';
import { todayInTokyo } from '../../server/domain/dates.js';
import { seedDemoFile } from '../../scripts/demo/seed.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';
import { checkPage } from './checks.js';
import { launchChromium, PHONE, SCREENSHOT_DIR } from './harness.js';

// Journey (d) of issue 16: the coordinator prints the demo campaign's report from the browser.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
const { config, dataDir } = makeTestConfig({ RATE_LIMIT_PER_MINUTE: '100000' });
let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  await seedDemoFile(config.databasePath, new Date(), { dataKey: config.dataKey });
  const db = makeTestDb(config);
  app = await buildApp({ config: { ...config, isDemo: true }, db, clock: systemClock, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 300_000); // seeding the demo takes 20-40 s on a loaded 2-core machine
afterAll(async () => {
  await browser?.close();
  await app?.close();
  app?.db.$client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const FIGURE_CARDS = ['支給総額', 'のべ件数', 'のべ人数', '実ケース数', '実人数'];

it('the demo campaign report prints on at most two A4 pages with its header and footer, no card split', async () => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'ja-JP' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name="email"]').fill('coordinator@demo.example');
  await page.locator('input[name="password"]').fill('demo-coordinator-2025');
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.locator('form[action="/login"] button[type="submit"]').click()]);
  await page.goto(`${baseUrl}/reports?from=2023-07-01&to=2025-08-31`);
  // On the phone: the headline and the five figures before the folded filters.
  const order = await page.evaluate<number[]>(
    `['.report-headline', '.report-figures', '.report-filters-fold'].map((s) => document.querySelector(s).getBoundingClientRect().top)`,
  );
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(await page.locator('.report-filters-fold').getAttribute('open')).toBeNull();
  await checkPage(page, 'report-phone-01');

  await page.emulateMedia({ media: 'print' });
  const pdf = path.join(SCREENSHOT_DIR, 'report-demo-a4.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(2);
  const perPage = Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }),
  );
  const all = perPage.join('\n');
  // Header and footer on every page: organization, period, print date, page n / total.
  perPage.forEach((text, i) => {
    expect(text).toContain('ネットワーク事務局');
    expect(text).toContain('2023年7月〜2025年8月 (2023年7月1日 – 2025年8月31日)');
    expect(text).toContain(`印刷日 ${formatDate(todayInTokyo(systemClock), 'ja')}`);
    expect(text).toMatch(new RegExp(`${i + 1}\\s*/\\s*${pages}\\s*$`));
  });
  // Each figure card (its label and its value) lies whole on one page, the one of the headline.
  const cards = await page.evaluate<string[][]>(
    `[...document.querySelectorAll('.report-figures div')].map((d) => [d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.trim()])`,
  );
  expect(cards.map(([label]) => label)).toEqual(FIGURE_CARDS);
  const headlinePage = perPage.findIndex((text) => text.includes('のべ491人に対し'));
  expect(headlinePage).toBeGreaterThanOrEqual(0);
  for (const [label, value] of cards) {
    const line = perPage[headlinePage]!.split('\n').findIndex((l) => l.includes(label!) && l.includes(FIGURE_CARDS[4]!));
    expect(line, label).toBeGreaterThanOrEqual(0);
    // The value (its digits and its unit; pdftotext orders a row of cards loosely) is right under the labels, on the same page.
    const below = perPage[headlinePage]!.split('\n')
      .slice(line + 1, line + 4)
      .join(' ');
    expect(below.replace(/[^0-9]/g, ''), label).toContain(value!.replace(/[^0-9]/g, ''));
    expect(below, label).toContain(value!.replace(/[0-9,¥\s]/g, ''));
  }
  expect(cards[0]![1]).toBe('¥17,644,244');
  // Words stay whole: the counts and category names are never broken across lines.
  expect(all).not.toMatch(/ケー\s*\n\s*ス/);
  expect(all).toContain('シェルター・住居費');
  // The demo banner is one small line, not the screen's block.
  expect(all.match(/デモ/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
  await context.close();
});
