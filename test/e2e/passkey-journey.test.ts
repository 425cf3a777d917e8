import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { makeWorld } from '../helpers/factories.js';
import { freePort } from '../helpers/ports.js';
import { checkedPages, checkPage } from './checks.js';
import { startE2E } from './harness.js';

// A coordinator registers a passkey on the account page, then signs in with it as the second step,
// in chromium with the DevTools virtual authenticator (a platform authenticator that verifies the user).
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
let origin: string;

beforeAll(async () => {
  // The relying party (PUBLIC_ORIGIN) must name the port before the app starts.
  const port = await freePort();
  // WebAuthn needs a host name for the RP ID (an IP address is refused): localhost is a secure context.
  origin = `http://localhost:${port}`;
  e2e = await startE2E({ PUBLIC_ORIGIN: origin }, { port });
  world = await makeWorld(e2e.db);
});
afterAll(async () => {
  console.log(`passkey journey pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

it('registers a passkey from the account page and uses it at the second step of sign-in', async () => {
  const context = await e2e.phone();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });

  const signInWithPassword = async (expected: string) => {
    await page.goto(`${origin}/login`);
    await page.locator('input[name="email"]').fill(world.coordinator.email);
    await page.locator('input[name="password"]').fill(world.coordinator.password);
    await Promise.all([page.waitForURL(`${origin}${expected}`), page.locator('form[action="/login"] button[type="submit"]').click()]);
  };

  await signInWithPassword('/');
  await page.goto(`${origin}/account/passkeys`);
  await checkPage(page, 'passkey-01-none');
  await page.getByLabel('パスキーの名前').fill('事務所のパソコン');
  await page.getByRole('button', { name: 'パスキーを登録する' }).click();
  await page.waitForSelector('text=パスキーを登録しました。');
  expect(await page.locator('main').textContent()).toContain('事務所のパソコン');
  await checkPage(page, 'passkey-02-registered');

  await context.clearCookies();
  await signInWithPassword('/login/second-factor');
  await checkPage(page, 'passkey-03-second-step');
  await Promise.all([page.waitForURL(`${origin}/`), page.getByRole('button', { name: 'パスキーを使う' }).click()]);
  await page.goto(`${origin}/account/passkeys`);
  expect(await page.locator('main').textContent()).not.toContain('まだ使われていません');
  await context.close();
});

it('an admin turns the second-factor requirement on from the sign-in security page', async () => {
  const { context, page } = await e2e.signIn(world.admin);
  await page.goto(`${e2e.baseUrl}/admin/security`);
  await checkPage(page, 'passkey-04-admin-security');
  await page.getByLabel('コーディネーターと管理者に2段階認証（認証アプリまたはパスキー）を必須にする').check();
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForSelector('text=サインインの安全の設定を保存しました。');
  expect(await page.locator('input[name="requireSecondFactor"]').isChecked()).toBe(true);
  await page.goto(`${e2e.baseUrl}/admin/organizations/${world.tokyo.id}`);
  await checkPage(page, 'passkey-05-retention');
  await context.close();
});
