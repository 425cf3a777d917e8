import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { systemClock } from '../../server/domain/clock.js';
import { todayInTokyo } from '../../server/domain/dates.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { checkedPages, checkPage } from './checks.js';
import { startE2E } from './harness.js';

// A coordinator publishes April's figures to a grant maker, who opens them with no account; then the link is revoked.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
  const approved = { status: 'approved' as const, decidedBy: world.coordinator.id };
  for (let i = 0; i < 12; i += 1) {
    const c = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 });
    makeDisbursement(e2e.db, {
      ...approved,
      caseId: c.id,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-04-10',
      lines: [{ category: 'food', amount: 10_000 }],
    });
  }
  const lone = makeCase(e2e.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id });
  makeDisbursement(e2e.db, {
    ...approved,
    caseId: lone.id,
    submittedBy: world.osakaSupporter.id,
    paidOn: '2025-04-20',
    lines: [{ category: 'repatriation', amount: 88_500 }],
  });
});
afterAll(async () => {
  console.log(`share link journey pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

it('a coordinator shares the public summary of April, a stranger opens it, and the link is revoked', async () => {
  const { context, page } = await e2e.signIn(world.coordinator);
  await page.goto(`${e2e.baseUrl}/reports/public?from=2025-04-01&to=2025-04-30`);
  expect(await page.locator('main').textContent()).not.toContain('88,500');
  await checkPage(page, 'share-01-public-summary');
  await page.getByRole('link', { name: '共有リンク' }).click();
  await page.waitForURL(`${e2e.baseUrl}/share-links`);
  await checkPage(page, 'share-02-links-empty');

  const soon = new Date(Date.parse(`${todayInTokyo(systemClock)}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('期間の開始日').fill('2025-04-01');
  await page.getByLabel('期間の終了日').fill('2025-04-30');
  await page.getByLabel('有効期限（この日の終わりまで）').fill(soon);
  await Promise.all([page.waitForURL(`${e2e.baseUrl}/share-links`), page.getByRole('button', { name: 'リンクを作る' }).click()]);
  const url = await page.locator('#new-share-url').inputValue();
  expect(url).toMatch(/\/share\/[a-z2-7]{32}$/);
  await checkPage(page, 'share-03-link-created');

  const stranger = await e2e.phone();
  const visitor = await stranger.newPage();
  const response = await visitor.goto(url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['x-robots-tag']).toBe('noindex');
  const shown = await visitor.locator('main').textContent();
  expect(shown).toContain('¥208,500');
  expect(shown).toContain('非表示');
  expect(shown).not.toContain('88,500');
  await checkPage(visitor, 'share-04-opened-by-stranger');

  await page.reload();
  expect(await page.locator('.share-opens').textContent()).toBe('1');
  await Promise.all([page.waitForURL(`${e2e.baseUrl}/share-links`), page.getByRole('button', { name: '無効にする' }).click()]);
  expect(await page.locator('.flash').textContent()).toContain('リンクを無効にしました。');
  expect((await visitor.goto(url))?.status()).toBe(410);
  await checkPage(visitor, 'share-05-revoked');
  await stranger.close();
  await context.close();
});
