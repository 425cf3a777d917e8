import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { sessions, users } from '../../db/schema.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { checkedPages, checkPage } from './checks.js';
import { shot, startE2E } from './harness.js';

// Japanese by default, English complete, the language marked up; the keyboard path; signing out.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
let caseId: number;
let disbursementId: number;
beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
  caseId = makeCase(e2e.db, {
    organizationId: world.tokyo.id,
    createdBy: world.tokyoSupporter.id,
    householdSize: 2,
    residenceStatus: 'student',
    nationality: 'VN',
  }).id;
  disbursementId = makeDisbursement(e2e.db, { caseId, submittedBy: world.tokyoSupporter.id, lines: [{ category: 'tuition', amount: 25_000 }] }).id;
});
afterAll(async () => {
  console.log(`language and session pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

/**
 * Japanese left in what the page shows or announces: text, option labels, accessible names,
 * placeholders, the title. Text marked with its own language (a language's name in itself: 日本語, 简体中文) is right as it is.
 */
const JAPANESE_LEFT = `(() => {
  const japanese = /[\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff00-\\uffef]/;
  const markedJa = (el) => { const tagged = el.closest('[lang]'); return tagged && tagged !== document.documentElement && tagged.lang !== document.documentElement.lang; };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, option') || markedJa(el) || !el.checkVisibility()) continue;
    if (japanese.test(node.textContent)) found.push(node.textContent.trim());
  }
  for (const option of document.querySelectorAll('option')) if (!markedJa(option) && japanese.test(option.textContent)) found.push('option: ' + option.textContent);
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(attr);
      if (value && japanese.test(value) && !markedJa(el)) found.push(attr + ': ' + value);
    }
  }
  if (japanese.test(document.title)) found.push('title: ' + document.title);
  return found;
})()`;

/**
 * Allowed: data people typed or seeded (a fund's name may be in any language), and the examples of
 * what people type on Japanese keyboards that the amount hints show on purpose ("12000円").
 */
const DATA = ['一般寄付金 (General donations)'];
const INPUT_EXAMPLE = /[0-9,０-９，]+円/g;
const JAPANESE = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
async function japaneseLeft(page: Page): Promise<string[]> {
  const found = await page.evaluate<string[]>(JAPANESE_LEFT);
  return found.filter((text) => JAPANESE.test(DATA.reduce((rest, data) => rest.replaceAll(data, ''), text).replace(INPUT_EXAMPLE, '')));
}

async function tabSequence(page: Page, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    names.push(await page.evaluate<string>(`(document.activeElement.textContent || document.activeElement.getAttribute('aria-label') || '').trim()`));
  }
  return names;
}

it('marks the language: Japanese by default, the header menu naming each language in itself', async () => {
  const context = await e2e.phone();
  const page = await context.newPage();
  await page.goto(`${e2e.baseUrl}/login`);
  expect(await page.locator('html').getAttribute('lang')).toBe('ja');
  await page.locator('.lang-menu summary').click();
  const toEnglish = page.locator('.lang-menu button[value="en"]');
  expect(await toEnglish.textContent()).toBe('English');
  expect(await toEnglish.locator('span[lang]').getAttribute('lang')).toBe('en');
  await checkPage(page, 'language-00-menu-open');
  await toEnglish.click();
  await page.waitForURL(`${e2e.baseUrl}/login`);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await page.locator('h1').textContent()).toBe('Sign in');
  await page.locator('.lang-menu summary').click();
  const toJapanese = page.locator('.lang-menu button[value="ja"]');
  expect(await toJapanese.textContent()).toBe('日本語');
  expect(await toJapanese.locator('span[lang]').getAttribute('lang')).toBe('ja');
  await page.locator('.lang-menu summary').click();
  expect(await japaneseLeft(page)).toEqual([]);
  await checkPage(page, 'language-01-login-en');
  await context.close();
});

it('keyboard: the skip link comes first, then the home link and the main menu in order; the skip link lands in the content', async () => {
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.goto(`${e2e.baseUrl}/cases`);
  expect(await tabSequence(page, 1)).toEqual(['本文へ移動']);
  // Focused, the skip link is on screen and big enough to tap.
  const skip = (await page.locator('.skip').boundingBox())!;
  expect(skip.x).toBeGreaterThanOrEqual(0);
  expect(skip.y).toBeGreaterThanOrEqual(0);
  expect(skip.height).toBeGreaterThanOrEqual(24);
  await shot(page, 'keyboard-01-skip-link');
  expect(await tabSequence(page, 11)).toEqual([
    '緊急支援ケース管理',
    '🌐 言語: 日本語',
    'ホーム',
    'ケース',
    '支給記録',
    '領収書未提出',
    '集計',
    '一律給付',
    'アカウント',
    '🔔 0 却下された記録 0件 / 領収書未提出 0件',
    'ログアウト',
  ]);
  await page.reload();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await page.evaluate<boolean>(`document.activeElement.closest('main') !== null`)).toBe(true);
  await context.close();
});

it('switching to English on the account page changes every string of the interface', async () => {
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.getByRole('link', { name: 'アカウント' }).click();
  await page.waitForURL(`${e2e.baseUrl}/account`);
  expect(await page.locator('option[value="ja"]').getAttribute('lang')).toBe('ja');
  expect(await page.locator('option[value="en"]').getAttribute('lang')).toBe('en');
  await checkPage(page, 'language-02-account-ja');
  await page.getByLabel('表示言語').or(page.getByLabel('言語')).first().selectOption('en');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForURL(`${e2e.baseUrl}/account`);
  expect(e2e.db.select({ locale: users.locale }).from(users).where(eq(users.id, world.tokyoSupporter.id)).get()!.locale).toBe('en');
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await page.locator('h1').textContent()).toBe('Account');
  await checkPage(page, 'language-03-account-en');
  expect(await japaneseLeft(page)).toEqual([]);

  const pages = [
    ['/', 'language-04-home-en'],
    ['/cases', 'language-05-cases-en'],
    [`/cases/${caseId}`, 'language-06-case-en'],
    ['/cases/new', 'language-07-case-new-en'],
    [`/disbursements/new?case=${caseId}`, 'language-08-disbursement-new-en'],
    [`/disbursements/${disbursementId}`, 'language-09-disbursement-en'],
    ['/reports?preset=cy2025', 'language-10-reports-en'],
  ] as const;
  for (const [url, name] of pages) {
    await page.goto(`${e2e.baseUrl}${url}`);
    expect(await page.locator('html').getAttribute('lang'), url).toBe('en');
    expect(await japaneseLeft(page), url).toEqual([]);
    await checkPage(page, name);
  }
  // A form sent back with mistakes speaks English too.
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${caseId}`);
  await page.getByLabel('Line 1: amount (yen)').fill('12.5');
  await page.getByRole('button', { name: 'Log it' }).click();
  await page.waitForSelector('.error-summary');
  expect(await japaneseLeft(page)).toEqual([]);
  await checkPage(page, 'language-11-disbursement-422-en');
  await context.close();
});

it('signing out ends the session: the home page and the back button lead to the sign-in page', async () => {
  const { context, page } = await e2e.signIn(world.coordinator);
  await page.goto(`${e2e.baseUrl}/cases/${caseId}`);
  expect(e2e.db.select().from(sessions).where(eq(sessions.userId, world.coordinator.id)).all()).toHaveLength(1);
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.waitForURL(/\/login\?loggedOut=1$/);
  expect(e2e.db.select().from(sessions).where(eq(sessions.userId, world.coordinator.id)).all()).toHaveLength(0);
  await checkPage(page, 'session-01-signed-out');
  await page.goto(`${e2e.baseUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.goBack();
  await page.goBack();
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await page.locator('main').textContent()).not.toContain('TKY');
  await context.close();
});
