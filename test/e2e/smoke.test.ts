import { afterAll, beforeAll, expect, it } from 'vitest';
import { shot, startE2E } from './harness.js';

let e2e: Awaited<ReturnType<typeof startE2E>>;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => e2e?.close());

it('serves the Japanese sign-in page to a phone, and English one click away', async () => {
  const context = await e2e.phone();
  const page = await context.newPage();
  await page.goto(`${e2e.baseUrl}/login`);
  expect(await page.locator('html').getAttribute('lang')).toBe('ja');
  expect(await page.locator('h1').textContent()).toBe('ログイン');
  await shot(page, 'login-ja');
  await page.getByRole('link', { name: 'English' }).click();
  expect(await page.locator('h1').textContent()).toBe('Sign in');
  await context.close();
});
