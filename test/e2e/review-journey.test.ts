import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { disbursements, periodLocks } from '../../db/schema.js';
import { makeWorld } from '../helpers/factories.js';
import { makeAuditedDisbursement } from '../helpers/audited-money.js';
import { makeCase } from '../helpers/money-factories.js';
import { checkedPages, checkPage } from './checks.js';
import { startE2E } from './harness.js';

// The network office on a phone: the queue, approve, reject with a reason the supporter then
// reads; an admin locks a published fiscal year; the auditor sees the trail verified.
// Journeys take a while on a shared 2-core machine.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
let caseId: number;
beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
  caseId = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 3, code: 'TKY-2025-0042' }).id;
});
afterAll(async () => {
  console.log(`review journey pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

const statusOf = (id: number) => e2e.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const pending = (paidOn: string, lines: { category: string; amount: number }[]) =>
  makeAuditedDisbursement(e2e.db, { caseId, submittedBy: world.tokyoSupporter.id, paidOn, lines });

it('a coordinator approves a pending disbursement from the queue', async () => {
  const record = pending('2025-05-28', [{ category: 'medical', amount: 8_000 }]);
  const { context, page } = await e2e.signIn(world.coordinator);
  expect(await page.locator('#pending-title').textContent()).toBe('承認待ちの支給記録: 1件');
  await checkPage(page, 'coordinator-01-home');
  await page.getByRole('link', { name: '確認待ち', exact: true }).click();
  await page.waitForURL(`${e2e.baseUrl}/review`);
  expect(await page.locator('.review-item').count()).toBe(1);
  await checkPage(page, 'coordinator-02-review');
  await page.locator(`#d-${record.id}`).getByRole('button', { name: '承認する' }).click();
  // A decision taken in the queue comes back to the queue, with its filter (issue 13).
  await page.waitForURL(`${e2e.baseUrl}/review?sort=age`);
  expect(statusOf(record.id)).toMatchObject({ status: 'approved', decidedBy: world.coordinator.id });
  await page.goto(`${e2e.baseUrl}/disbursements/${record.id}`);
  expect(await page.locator('h1 .status').textContent()).toBe('承認済み');
  // An approved record can only be voided, with a reason.
  expect(await page.locator('.record-actions summary', { hasText: '取り消す' }).count()).toBe(1);
  expect(await page.getByRole('button', { name: '承認する' }).count()).toBe(0);
  await checkPage(page, 'coordinator-03-approved');
  await page.goto(`${e2e.baseUrl}/review`);
  expect(await page.locator('.review-item').count()).toBe(0);
  await checkPage(page, 'coordinator-04-review-empty');

  // A mistake found later: approved money is voided with a reason, never edited; the record stays, struck through.
  await page.goto(`${e2e.baseUrl}/disbursements/${record.id}`);
  await page.locator('.record-actions summary', { hasText: '取り消す' }).click();
  await page.getByLabel('取消の理由').fill('同じ領収書で二重に記録されていました。');
  await page.locator('.record-actions').getByRole('button', { name: '取り消す' }).click();
  await page.waitForURL(`${e2e.baseUrl}/disbursements/${record.id}`);
  expect(statusOf(record.id)).toMatchObject({ status: 'voided', voidReason: '同じ領収書で二重に記録されていました。' });
  expect(await page.locator('h1 .status').textContent()).toBe('取消');
  expect(await page.locator('.record.struck').count()).toBe(1);
  await checkPage(page, 'coordinator-05-voided');
  await context.close();
});

it('a supporter withdraws a pending disbursement of their group', async () => {
  const record = pending('2025-06-02', [{ category: 'food', amount: 3_000 }]);
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.goto(`${e2e.baseUrl}/disbursements/${record.id}`);
  await page.getByRole('button', { name: '取り下げる' }).click();
  await page.waitForURL(`${e2e.baseUrl}/disbursements/${record.id}`);
  expect(statusOf(record.id).status).toBe('withdrawn');
  expect(await page.locator('h1 .status').textContent()).toBe('取り下げ');
  await checkPage(page, 'supporter-withdrawn-01-record');
  await context.close();
});

it('a reviewer rejects with a reason, and the supporter reads the reason on the home page and the record', async () => {
  const record = pending('2025-05-20', [
    { category: 'shelter', amount: 30_000 },
    { category: 'food', amount: 12_000 },
  ]);
  const reason = '領収書の写真が読めません。撮り直して添付してください。';
  const { context, page } = await e2e.signIn(world.admin);
  await page.goto(`${e2e.baseUrl}/review`);
  // Without a reason (the browser's own check taken away) the message comes back beside the field.
  const item = page.locator(`#d-${record.id}`);
  await item.locator('summary', { hasText: '却下する' }).click();
  await item.getByLabel('却下の理由').evaluate((el) => el.removeAttribute('required'));
  await item.getByRole('button', { name: '却下する' }).click();
  await page.waitForSelector('.error-summary');
  await checkPage(page, 'reviewer-01-reject-422');
  expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#f-reason');
  const field = page.locator('#f-reason');
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await field.getAttribute('aria-describedby')).toContain('f-reason-error');
  expect(await page.locator('#f-reason-error').textContent()).toBe('入力してください。');
  await page.getByLabel('却下の理由').fill(reason);
  await page.getByRole('button', { name: '却下する' }).click();
  await page.waitForURL(`${e2e.baseUrl}/review?sort=age`);
  expect(statusOf(record.id)).toMatchObject({ status: 'rejected', rejectReason: reason });
  await page.goto(`${e2e.baseUrl}/disbursements/${record.id}`);
  await checkPage(page, 'reviewer-02-rejected');
  await context.close();

  const supporter = await e2e.signIn(world.tokyoSupporter);
  const recent = supporter.page.locator('.recent-item', { has: supporter.page.locator('.status-rejected') });
  expect(await recent.locator('.status').textContent()).toBe('差し戻し');
  expect(await recent.locator('.recent-reason').textContent()).toContain(reason);
  await checkPage(supporter.page, 'supporter-rejected-01-home');
  await recent.getByRole('link').click();
  await supporter.page.waitForURL(`${e2e.baseUrl}/disbursements/${record.id}`);
  expect(await supporter.page.locator('.decision-reason').textContent()).toBe(reason);
  await checkPage(supporter.page, 'supporter-rejected-02-record');
  await supporter.context.close();
});

it('an admin locks a published fiscal year; the auditor sees the audit trail verified', async () => {
  const admin = await e2e.signIn(world.admin);
  await admin.page.getByRole('link', { name: '管理', exact: true }).click();
  await admin.page.waitForURL(`${e2e.baseUrl}/admin`);
  await checkPage(admin.page, 'admin-01-index');
  await admin.page.goto(`${e2e.baseUrl}/admin/period-locks`);
  await admin.page.getByLabel('開始日').fill('2024-04-01');
  await admin.page.getByLabel('終了日').fill('2025-03-31');
  await admin.page.getByLabel('メモ').fill('2024年度 報告書公開済み');
  await admin.page.getByRole('button', { name: 'この期間を締める' }).click();
  await admin.page.waitForURL(`${e2e.baseUrl}/admin/period-locks`);
  expect(e2e.db.select().from(periodLocks).all()).toHaveLength(1);
  await checkPage(admin.page, 'admin-02-period-locks');
  await admin.context.close();

  const auditor = await e2e.signIn(world.auditor);
  await auditor.page.getByRole('link', { name: '監査記録' }).first().click();
  await auditor.page.waitForURL(`${e2e.baseUrl}/audit`);
  expect(await auditor.page.locator('.chain-banner').textContent()).toMatch(/^検証済み: \d+件/);
  expect(await auditor.page.locator('.ledger-banner').textContent()).toMatch(/^台帳も照合済み: 支給記録\d+件/);
  // In words, not codes (issue 13): the raw action stays in /audit.csv.
  expect(await auditor.page.locator('.audit-event').first().textContent()).toContain('サインイン');
  await checkPage(auditor.page, 'auditor-01-audit');
  await auditor.context.close();
});
