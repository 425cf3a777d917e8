import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { disbursements } from '../../db/schema.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';
import { checkPage } from './checks.js';
import { startE2E } from './harness.js';

// A supporter in a hospital corridor with one bar of signal: the draft survives, a submission made
// offline waits on the phone (encrypted), and it is recorded exactly once when the signal returns.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
});
afterAll(async () => e2e?.close());

const recordsFor = (caseId: number) => e2e.db.select().from(disbursements).where(eq(disbursements.caseId, caseId)).all();

it('offline: the submission is queued, survives a reload, and is recorded once when back online', async () => {
  const theCase = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 });
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  await page.evaluate('navigator.serviceWorker.ready');
  // The worker controls pages loaded after it is ready.
  await page.reload();
  await expect.poll(() => page.evaluate<boolean>('!!navigator.serviceWorker.controller')).toBe(true);

  await context.setOffline(true);
  await page.getByLabel('1行目の区分').selectOption('medical');
  await page.getByLabel('1行目の金額（円）').fill('8,800');
  await page.getByLabel('支給方法').selectOption('cash');
  await page.getByRole('button', { name: '記録する' }).click();
  await expect.poll(() => page.locator('[data-offline-status]').textContent()).toContain('この端末に保存しました');
  expect(recordsFor(theCase.id)).toHaveLength(0);

  // Still offline, the page is reloaded: the worker answers with the offline page, which lists the queue.
  await page.reload();
  await expect.poll(() => page.locator('h1').textContent()).toBe('接続がありません');
  await expect.poll(() => page.locator('[data-offline-list] li').allTextContents()).toEqual([expect.stringContaining('送信待ち')]);
  await checkPage(page, 'offline-01-queued');
  // What waits on the phone is encrypted: the amount typed is nowhere in IndexedDB in clear.
  const stored = await page.evaluate<string>(`new Promise((resolve) => {
    const open = indexedDB.open('kinkyu-offline');
    open.onsuccess = () => { const tx = open.result.transaction('outbox'); const req = tx.objectStore('outbox').getAll();
      req.onsuccess = () => resolve(JSON.stringify(req.result.map((r) => ({ ...r, box: { iv: Array.from(r.box.iv), data: Array.from(new Uint8Array(r.box.data)) } })))); };
  })`);
  expect(stored).not.toContain('8,800');
  expect(stored).not.toContain('8800');

  await context.setOffline(false);
  await expect.poll(() => recordsFor(theCase.id).length, { timeout: 20_000 }).toBe(1);
  await expect.poll(() => page.locator('[data-offline-list] li').allTextContents()).toEqual([expect.stringContaining('送信済み')]);
  // Sent again (a second flush, the worker's sync): still one record.
  await page.evaluate(`window.offlineStore.flushOutbox()`);
  expect(recordsFor(theCase.id)).toHaveLength(1);
  expect(recordsFor(theCase.id)[0]!.status).toBe('pending');

  // Signing out takes the queue and the key with it.
  await page.goto(`${e2e.baseUrl}/`);
  await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: 'ログアウト' }).click()]);
  const names = await page.evaluate<string[]>(`indexedDB.databases().then((dbs) => dbs.map((d) => d.name))`);
  expect(names).not.toContain('kinkyu-offline');
  await context.close();
});

it('one draft in two tabs: submitted from both, recorded once', async () => {
  const theCase = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 1 });
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  const url = `${e2e.baseUrl}/disbursements/new?case=${theCase.id}`;
  await page.goto(url);
  await page.getByLabel('1行目の区分').selectOption('food');
  await page.getByLabel('1行目の金額（円）').fill('3000');
  await page.getByLabel('支給方法').selectOption('cash');
  // The draft is saved as the person types; a second tab opens with it.
  await page.waitForTimeout(600);
  const second = await context.newPage();
  await second.goto(url);
  await expect.poll(() => second.getByLabel('1行目の金額（円）').inputValue()).toBe('3000');
  expect(await second.locator('[data-offline-status]').textContent()).toContain('下書きを戻しました');
  expect(await second.locator('input[name="idempotencyKey"]').inputValue()).toBe(await page.locator('input[name="idempotencyKey"]').inputValue());

  await Promise.all([page.waitForURL(/\/disbursements\/\d+$/), page.getByRole('button', { name: '記録する' }).click()]);
  await Promise.all([second.waitForURL(/\/disbursements\/\d+$/), second.getByRole('button', { name: '記録する' }).click()]);
  expect(recordsFor(theCase.id)).toHaveLength(1);
  expect(new URL(second.url()).pathname).toBe(new URL(page.url()).pathname);
  // The record page the first submission reached cleared the draft: the form opens empty again.
  const third = await context.newPage();
  await third.goto(url);
  await third.waitForTimeout(300);
  expect(await third.getByLabel('1行目の金額（円）').inputValue()).toBe('');
  await context.close();
});
