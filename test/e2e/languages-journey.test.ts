import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCALES } from '../../db/schema.js';
import { htmlLang, languageMeta, ownCatalogs } from '../../server/i18n/index.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';
import { checkPage } from './checks.js';
import { startE2E } from './harness.js';

// The same journey in every language whose catalog is in place: switch from the header, log a
// disbursement, open the report, print a 受領書; axe clean, nothing wider than a 390 px phone.
vi.setConfig({ testTimeout: 180_000 });
const languages = LOCALES.filter((l) => Object.keys(ownCatalogs[l]).length > 0);
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
});
afterAll(async () => e2e?.close());

/** Elements in <main> wider than their box (text running out), at the phone's width. */
const OVERFLOWING = `(() => [...document.querySelectorAll('main *')]
  .filter((el) => el instanceof HTMLElement && el.checkVisibility() && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0)
  .filter((el) => !['TABLE', 'TBODY', 'THEAD', 'TR'].includes(el.tagName))
  .slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth))()`;

/** No message key left showing, no text sticking out, the document no wider than the phone. */
async function fits(page: Page, name: string): Promise<void> {
  expect.soft(await page.evaluate<string>('document.body.innerText'), `${name}: a missing message`).not.toMatch(/⟦|⟧/);
  expect.soft(await page.evaluate<string[]>(OVERFLOWING), `${name}: text overflowing`).toEqual([]);
  expect.soft(await page.evaluate<number>('document.documentElement.scrollWidth'), `${name}: page width`).toBeLessThanOrEqual(390);
  await checkPage(page, name);
}

describe.each(languages)('journey in %s', (locale) => {
  it('switch from the header, log a disbursement, open the report, print a 受領書', async () => {
    // A case of its own: a second payment to one case the same day would stop at the duplicate warning.
    const caseId = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 }).id;
    const { context, page } = await e2e.signIn(world.tokyoSupporter);
    await page.locator('.lang-menu summary').click();
    await Promise.all([page.waitForURL(`${e2e.baseUrl}/`), page.locator(`.lang-menu button[value="${locale}"]`).click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe(htmlLang(locale));
    expect(await page.locator('html').getAttribute('dir')).toBe(languageMeta[locale].dir);
    expect(await page.locator('.lang-menu summary').innerText()).toContain(languageMeta[locale].name);
    await fits(page, `lang-${locale}-01-home`);

    await page.goto(`${e2e.baseUrl}/disbursements/new?case=${caseId}`);
    await page.locator('select[name="lines[0][category]"]').selectOption('shelter');
    await page.locator('input[name="lines[0][amount]"]').fill('12000');
    await page.locator('select[name="method"]').selectOption('cash');
    await fits(page, `lang-${locale}-02-disbursement-form`);
    await Promise.all([page.waitForURL(/\/disbursements\/\d+$/), page.locator('form button.button-primary[type="submit"]').last().click()]);
    const id = Number(/\/disbursements\/(\d+)$/.exec(page.url())![1]);
    await fits(page, `lang-${locale}-03-disbursement`);

    // The figures worker starts on the first report: give it longer than a page on a loaded machine.
    await page.goto(`${e2e.baseUrl}/reports`, { timeout: 60_000 });
    await fits(page, `lang-${locale}-04-report`);

    await page.goto(`${e2e.baseUrl}/disbursements/${id}`);
    await Promise.all([
      page.waitForURL(new RegExp(`/disbursements/${id}/acknowledgment`)),
      page.locator(`a[href="/disbursements/${id}/acknowledgment"]`).click(),
    ]);
    expect(await page.locator('select[name="recipient"]').inputValue()).toBe(locale);
    expect(await page.locator('.ack-column').count()).toBe(locale === 'ja' ? 1 : 2);
    expect(await page.locator('.ack-column[data-locale="ja"] .ack-amount').allTextContents()).toEqual(['¥12,000', '金壱万弐千円也']);
    await fits(page, `lang-${locale}-05-acknowledgment`);
    await context.close();
  });
});
