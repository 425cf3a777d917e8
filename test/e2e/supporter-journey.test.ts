import { readdirSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { cases, disbursementLines, disbursements, receipts } from '../../db/schema.js';
import { systemClock } from '../../server/domain/clock.js';
import { todayInTokyo } from '../../server/domain/dates.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';
import { checkedPages, checkPage } from './checks.js';
import { shot, startE2E } from './harness.js';

// A supporter on a phone between visits: sign in, register a case, log aid typed the way a
// Japanese phone keyboard types it, attach a receipt photo, and see it waiting for approval.
// Journeys take a while on a shared 2-core machine.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
});
afterAll(async () => {
  console.log(`supporter journey pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

const countDisbursements = () => e2e.db.select().from(disbursements).all().length;

it('signs in, registers a case, logs two lines with full-width digits and a receipt photo, sees it pending', async () => {
  const context = await e2e.phone();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${e2e.baseUrl}/login`);
  expect(await page.locator('html').getAttribute('lang')).toBe('ja');
  await checkPage(page, 'supporter-01-login');
  await page.getByLabel('メールアドレス').fill(world.tokyoSupporter.email);
  await page.getByLabel('パスワード').fill(world.tokyoSupporter.password);
  await Promise.all([page.waitForURL(`${e2e.baseUrl}/`), page.getByRole('button', { name: 'ログイン' }).click()]);
  await checkPage(page, 'supporter-02-home');

  // Register the person's case: only the non-identifying profile.
  await page.getByRole('link', { name: 'ケース', exact: true }).click();
  await page.waitForURL(`${e2e.baseUrl}/cases`);
  await checkPage(page, 'supporter-03-cases');
  await page.getByRole('link', { name: '新しいケースを登録' }).click();
  await page.waitForURL(`${e2e.baseUrl}/cases/new`);
  await checkPage(page, 'supporter-04-case-new');
  await page.getByLabel('世帯人数').fill('３');
  await page.getByLabel('在留資格').selectOption('provisional_release');
  await page.getByLabel('都道府県').selectOption({ label: '東京都' });
  await page.getByRole('button', { name: '登録する' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  const theCase = e2e.db.select().from(cases).get()!;
  expect(theCase).toMatchObject({ householdSize: 3, residenceStatus: 'provisional_release', organizationId: world.tokyo.id });
  await checkPage(page, 'supporter-05-case-show');

  // The disbursement form: numeric keyboards, today's date, the big button within reach.
  await page.getByRole('link', { name: '支給を記録' }).click();
  await page.waitForURL(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  expect(await page.getByLabel('支給日').inputValue()).toBe(todayInTokyo(systemClock));
  for (const input of await page.locator('input[name$="[amount]"], input[name="peopleCovered"]').all()) {
    expect(await input.getAttribute('inputmode')).toBe('numeric');
  }
  await checkPage(page, 'supporter-06-disbursement-new');

  // First a slip: an amount with decimals and no method. The summary links to the fields.
  await page.getByLabel('1行目の区分').selectOption('shelter');
  await page.getByLabel('1行目の金額（円）').fill('３０，０００.５');
  // The form opens with one row (issue 16): the second comes from 「行を追加」.
  await page.getByRole('button', { name: '行を追加' }).click();
  await page.getByLabel('2行目の区分').selectOption('food');
  await page.getByLabel('2行目の金額（円）').fill('１２０００円');
  await page.getByRole('button', { name: '記録する' }).click();
  await page.waitForSelector('.error-summary');
  await checkPage(page, 'supporter-07-disbursement-422');
  const links = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect([...links].sort()).toEqual(['#f-lines-0--amount-', '#f-method']);
  for (const href of links) {
    const field = page.locator(href);
    expect(await field.count(), href).toBe(1);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain(`${href.slice(1)}-error`);
    expect(await page.locator(`#${href.slice(1)}-error`).textContent()).not.toBe('');
  }
  // The summary is read first; each of its links puts the cursor in its field.
  expect(await page.evaluate<string>('document.activeElement.className')).toBe('error-summary');
  for (const href of links) {
    await page.locator(`.error-summary a[href="${href}"]`).click();
    expect(await page.evaluate<string>('document.activeElement.id')).toBe(href.slice(1));
  }
  // Everything typed is kept, as typed.
  expect(await page.getByLabel('1行目の金額（円）').inputValue()).toBe('３０，０００.５');
  expect(await page.getByLabel('2行目の金額（円）').inputValue()).toBe('１２０００円');

  await page.getByLabel('1行目の金額（円）').fill('３０，０００');
  await page.getByLabel('支給方法').selectOption('cash');
  expect(await page.locator('[data-lines-total]').textContent()).toBe('¥42,000');
  // With the script: rows come and go, the running total follows, focus goes to the new row.
  await page.getByRole('button', { name: '行を追加' }).click();
  expect(await page.locator('[data-line-row]').count()).toBe(4);
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('f-lines-3--category-');
  await page.getByLabel('4行目の金額（円）').fill('500');
  expect(await page.locator('[data-lines-total]').textContent()).toBe('¥42,500');
  await page.locator('[data-line-row]').nth(3).getByRole('button', { name: 'この行を削除' }).click();
  expect(await page.locator('[data-line-row]').count()).toBe(3);
  expect(await page.locator('[data-lines-total]').textContent()).toBe('¥42,000');
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#d0c8b0' } })
    .jpeg()
    .toBuffer();
  await page.getByLabel('ファイルを選ぶ').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
  const submit = page.getByRole('button', { name: '記録する' });
  const box = (await submit.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.height).toBeGreaterThanOrEqual(44);
  await shot(page, 'supporter-08-disbursement-filled');
  await submit.click();
  await page.waitForURL(/\/disbursements\/\d+$/);
  const saved = e2e.db.select().from(disbursements).get()!;
  expect(saved).toMatchObject({ caseId: theCase.id, status: 'pending', method: 'cash', paidOn: todayInTokyo(systemClock), peopleCovered: 3 });
  const lines = e2e.db.select().from(disbursementLines).where(eq(disbursementLines.disbursementId, saved.id)).all();
  expect(lines.map((l) => l.amount)).toEqual([30_000, 12_000]);
  const receipt = e2e.db.select().from(receipts).where(eq(receipts.disbursementId, saved.id)).get()!;
  expect(readdirSync(path.join(e2e.dataDir, 'receipts'))).toContain(receipt.storageName);
  expect(await page.locator('h1 .status').textContent()).toBe('承認待ち');
  expect(await page.locator('.lines-table tfoot').textContent()).toContain('¥42,000');
  await checkPage(page, 'supporter-09-disbursement-show');

  // While pending it can still be corrected.
  await page.getByRole('link', { name: '修正する' }).click();
  await page.waitForURL(`${e2e.baseUrl}/disbursements/${saved.id}/edit`);
  expect(await page.getByLabel('1行目の金額（円）').inputValue()).toBe('30000');
  expect(await page.getByLabel('2行目の金額（円）').inputValue()).toBe('12000');
  await checkPage(page, 'supporter-10-disbursement-edit');

  // Home shows it waiting too.
  await page.getByRole('link', { name: 'ホーム' }).click();
  await page.waitForURL(`${e2e.baseUrl}/`);
  const recent = page.locator('.recent-item').first();
  expect(await recent.textContent()).toContain(theCase.code);
  expect(await recent.locator('.status').textContent()).toBe('承認待ち');
  await checkPage(page, 'supporter-11-home-pending');
  await context.close();
});

async function fillSmallForm(page: Page, amount: string) {
  await page.getByLabel('1行目の区分').selectOption('medical');
  await page.getByLabel('1行目の金額（円）').fill(amount);
  await page.getByLabel('支給方法').selectOption('cash');
}

it('resubmitting after a network hiccup makes one record: a second tap while slow, and a retry after a lost answer', async () => {
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  const theCase = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 });
  const before = countDisbursements();

  // 1. The answer is slow; the person taps the button again. Both requests reach the server.
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  await fillSmallForm(page, '８，０００');
  let release: () => void = () => {};
  const secondArrived = new Promise<void>((resolve) => (release = resolve));
  let posts = 0;
  await page.route('**/disbursements', async (route) => {
    posts += 1;
    if (posts === 1) {
      const answer = await route.fetch({ maxRedirects: 0 });
      await secondArrived;
      await route.fulfill({ response: answer }).catch(() => undefined); // the browser has moved on
    } else {
      release();
      await route.continue();
    }
  });
  await page.getByRole('button', { name: '記録する' }).click({ noWaitAfter: true });
  await expect.poll(() => countDisbursements()).toBe(before + 1);
  await page.keyboard.press('Enter'); // the button still has focus: the second tap
  await page.waitForURL(/\/disbursements\/\d+$/);
  expect(posts).toBe(2);
  expect(countDisbursements()).toBe(before + 1);
  const first = e2e.db.select().from(disbursements).where(eq(disbursements.caseId, theCase.id)).all();
  expect(first).toHaveLength(1);
  expect(page.url()).toBe(`${e2e.baseUrl}/disbursements/${first[0]!.id}`);
  await page.unroute('**/disbursements');

  // 2. The answer is lost (the connection drops after the server saved it); the browser's retry re-sends the form.
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  await fillSmallForm(page, '5000円');
  posts = 0;
  await page.route('**/disbursements', async (route) => {
    posts += 1;
    if (posts === 1) {
      await route.fetch({ maxRedirects: 0 });
      await route.abort('connectionreset');
    } else await route.continue();
  });
  await page.getByRole('button', { name: '記録する' }).click();
  await page.waitForURL(/^chrome-error:/);
  await shot(page, 'supporter-12-connection-lost');
  expect(countDisbursements()).toBe(before + 2);
  await page.reload();
  await page.waitForURL(/\/disbursements\/\d+$/);
  expect(posts).toBe(2);
  expect(countDisbursements()).toBe(before + 2);
  const second = e2e.db.select().from(disbursements).where(eq(disbursements.caseId, theCase.id)).all()[1]!;
  expect(page.url()).toBe(`${e2e.baseUrl}/disbursements/${second.id}`);
  await shot(page, 'supporter-13-retried');
  await context.close();
});

it('works without JavaScript: three empty rows, a mistake comes back with everything typed, then it saves', async () => {
  const { context, page } = await e2e.signIn(world.tokyoSupporter, { javaScriptEnabled: false });
  const theCase = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 4 });
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  expect(await page.locator('[data-line-row]').count()).toBe(3);
  expect(await page.getByRole('button', { name: '行を追加' }).isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: 'この行を削除' }).first().isVisible()).toBe(false);
  await shot(page, 'nojs-01-disbursement-new');
  await page.getByLabel('1行目の区分').selectOption('utilities');
  await page.getByLabel('1行目の金額（円）').fill('１２，０００.５');
  await page.getByLabel('3行目の区分').selectOption('food');
  await page.getByLabel('3行目の金額（円）').fill('¥3,000');
  await page.getByLabel('支給方法').selectOption('bank_transfer');
  await page.getByRole('button', { name: '記録する' }).click();
  await page.waitForSelector('.error-summary');
  expect(await page.getByLabel('1行目の金額（円）').inputValue()).toBe('１２，０００.５');
  // Empty rows close up: the third row's line is now the second.
  expect(await page.getByLabel('2行目の金額（円）').inputValue()).toBe('¥3,000');
  expect(await page.getByLabel('2行目の区分').inputValue()).toBe('food');
  expect(await page.locator('[data-line-row]').count()).toBe(3);
  expect(await page.getByLabel('支給方法').inputValue()).toBe('bank_transfer');
  await shot(page, 'nojs-02-disbursement-422');
  await page.getByLabel('1行目の金額（円）').fill('１２，０００');
  await page.getByRole('button', { name: '記録する' }).click();
  await page.waitForURL(/\/disbursements\/\d+$/);
  const saved = e2e.db.select().from(disbursements).where(eq(disbursements.caseId, theCase.id)).all();
  expect(saved).toHaveLength(1);
  const lines = e2e.db.select().from(disbursementLines).where(eq(disbursementLines.disbursementId, saved[0]!.id)).all();
  expect(lines.map((l) => l.amount)).toEqual([12_000, 3_000]);
  expect(await page.locator('h1 .status').textContent()).toBe('承認待ち');
  await shot(page, 'nojs-03-disbursement-show');
  await context.close();
});
