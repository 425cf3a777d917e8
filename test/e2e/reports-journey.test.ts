import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { systemClock } from '../../server/domain/clock.js';
import { todayInTokyo } from '../../server/domain/dates.js';
import { fiscalYearOf } from '../../server/domain/periods.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { checkedPages, checkPage } from './checks.js';
import { PHONE, SCREENSHOT_DIR, shot, startE2E } from './harness.js';

// The auditor at a desk or on a phone: the report, another period, the CSV for Excel, and the A4 print.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
const today = todayInTokyo(systemClock);
const fy = fiscalYearOf(today);
const thisMonthFirst = `${today.slice(0, 8)}01`;
const fyFirst = `${fy}-04-01`;

beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
  const tokyoCase = makeCase(e2e.db, {
    organizationId: world.tokyo.id,
    createdBy: world.tokyoSupporter.id,
    householdSize: 3,
    residenceStatus: 'refugee_applicant',
    nationality: 'MM',
  });
  const osakaCase = makeCase(e2e.db, {
    organizationId: world.osaka.id,
    createdBy: world.osakaSupporter.id,
    householdSize: 1,
    residenceStatus: 'no_status',
    nationality: 'NP',
  });
  const approved = { status: 'approved' as const, decidedBy: world.coordinator.id };
  makeDisbursement(e2e.db, {
    ...approved,
    caseId: tokyoCase.id,
    submittedBy: world.tokyoSupporter.id,
    paidOn: thisMonthFirst,
    lines: [
      { category: 'shelter', amount: 30_000 },
      { category: 'food', amount: 12_000 },
    ],
  });
  makeDisbursement(e2e.db, {
    ...approved,
    caseId: osakaCase.id,
    submittedBy: world.osakaSupporter.id,
    paidOn: thisMonthFirst,
    lines: [{ category: 'utilities', amount: 5_000 }],
  });
  makeDisbursement(e2e.db, {
    ...approved,
    caseId: tokyoCase.id,
    submittedBy: world.tokyoSupporter.id,
    paidOn: fyFirst,
    lines: [{ category: 'medical', amount: 8_000 }],
  });
});
afterAll(async () => {
  console.log(`reports journey pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

const yen = (n: number) => `¥${n.toLocaleString('en-US')}`;
const thisMonthTotal = fyFirst.slice(0, 7) === today.slice(0, 7) ? 55_000 : 47_000;

it('an auditor opens the report, switches to the fiscal year, downloads the CSV, and prints it on A4', async () => {
  const { context, page } = await e2e.signIn(world.auditor);
  await page.getByRole('link', { name: '集計', exact: true }).click();
  await page.waitForURL(`${e2e.baseUrl}/reports`);
  expect(await page.locator('.report-figures dd').first().textContent()).toBe(yen(thisMonthTotal));
  await checkPage(page, 'auditor-01-report-this-month');

  // On a phone the figures come first: the filters are folded below them (issue 16).
  expect(await page.getByLabel('期間').isVisible()).toBe(false);
  await page.locator('.report-filters-fold > summary').click();
  await page.getByLabel('期間').selectOption(`fy${fy}`);
  await page.getByRole('button', { name: '表示する' }).click();
  await page.waitForURL(new RegExp(`/reports\\?preset=fy${fy}`));
  expect(await page.locator('.report-figures dd').first().textContent()).toBe(yen(55_000));
  expect(await page.locator('#report-period').textContent()).toContain(`${fy}年4月1日 – ${fy + 1}年3月31日`);
  await checkPage(page, 'auditor-02-report-fiscal-year');

  // Charts: a named image with a description, and the same numbers as a table.
  for (const chart of await page.locator('svg.chart').all()) {
    expect(await chart.getAttribute('role')).toBe('img');
    const ids = (await chart.getAttribute('aria-labelledby'))!.split(' ');
    expect(ids).toHaveLength(2);
    for (const id of ids) expect((await page.locator(`[id="${id}"]`).textContent())!.length).toBeGreaterThan(3);
  }
  expect(await page.locator('#donut-desc').textContent()).toContain('シェルター・住居費 54.6%');
  const categoryTable = page.locator('.report-categories table');
  expect(await categoryTable.locator('tr[data-category="shelter"]').textContent()).toContain('¥30,000');
  expect(await categoryTable.locator('tfoot').textContent()).toContain('¥55,000');
  expect(await page.locator('.report-months table tbody tr').count()).toBeGreaterThanOrEqual(1);
  // Segments stay distinct in black and white: each has its own fill pattern.
  const fills = await page.locator('.donut-segment').evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
  expect(new Set(fills).size).toBe(fills.length);

  // The CSV for Japanese Excel: a BOM, then the header row.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '支出区分別の表（CSV）', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe(`summary_${fy}-04-01_${fy + 1}-03-31.csv`);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = csv.subarray(3).toString('utf8').split('\r\n');
  expect(rows[0]).toBe('区分コード,支出区分,金額（円）,割合（%）,明細数');
  expect(rows.find((r) => r.startsWith('shelter,'))).toBe('shelter,シェルター・住居費,30000,54.6,1');
  const [ledger] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '明細台帳（CSV・1明細1行）', exact: true }).click()]);
  const ledgerRows = readFileSync((await ledger.path())!)
    .subarray(3)
    .toString('utf8')
    .trim()
    .split('\r\n');
  expect(ledgerRows[0]).toContain('支給記録ID');
  expect(ledgerRows).toHaveLength(1 + 4 + 1); // the lines, then 合計（取消を除く）

  // Print: no navigation or filters, table headers repeat on each A4 page.
  await page.setViewportSize({ width: 794, height: 1123 }); // an A4 sheet at 96 dpi, for the picture
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate<string[]>(`['.site-header', 'nav', '.skip', '.report-filters', '.report-exports', 'form.logout', '.report-copy']
    .filter((s) => [...document.querySelectorAll(s)].some((el) => el.checkVisibility()))`);
  expect(shown).toEqual([]);
  expect(await page.locator('.report-categories table').isVisible()).toBe(true);
  const theads = await page.evaluate<string[]>(`[...document.querySelectorAll('main table thead')].map((el) => getComputedStyle(el).display)`);
  expect(theads.length).toBeGreaterThan(3);
  expect(new Set(theads)).toEqual(new Set(['table-header-group']));
  await shot(page, 'auditor-03-report-print');
  const pdf = path.join(SCREENSHOT_DIR, 'report-a4.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  expect(statSync(pdf).size).toBeGreaterThan(10_000);
  expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize(PHONE);

  // The public summary of the same period.
  await page.getByRole('link', { name: '公開用サマリー' }).click();
  await page.waitForURL(/\/reports\/public\?/);
  await checkPage(page, 'auditor-04-report-public');
  await context.close();
});
