import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Actor } from '../../server/domain/actor.js';
import { createCase } from '../../server/domain/cases.js';
import { systemClock } from '../../server/domain/clock.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { totpCodeAt, totpKeyFromBase32, totpStep } from '../../server/domain/totp.js';
import { makeWorld } from '../helpers/factories.js';
import { checkedPages, checkPage } from './checks.js';
import { startE2E } from './harness.js';

// A coordinator's first sign-in with the requirement on: enrol TOTP, keep the recovery codes, then
// open a person's identity with a reason. Every page is checked (axe, 320 px) on a phone.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;
let caseId: number;

beforeAll(async () => {
  e2e = await startE2E({ REQUIRE_SECOND_FACTOR: '1' });
  world = await makeWorld(e2e.db);
  const supporter: Actor = {
    userId: world.tokyoSupporter.id,
    role: 'supporter',
    organizationId: world.tokyo.id,
    isAdmin: false,
    displayName: 'x',
    locale: 'ja',
  };
  const profile = { householdSize: 2, gender: null, ageBand: null, nationality: null, residenceStatus: null, prefecture: null, organizationId: null };
  const { location } = createCase(
    e2e.db,
    supporter,
    { ...profile, alias: 'Linh Tran', contact: '080-0000-1111', notes: null, idempotencyKey: newFormKey() },
    { cipher: createFieldCipher(e2e.config.dataKey), clock: systemClock },
  );
  caseId = Number(location.split('/').pop());
});
afterAll(async () => {
  console.log(`second factor journey pages checked: ${[...checkedPages].join(', ')}`);
  await e2e?.close();
});

it('a coordinator enrols an authenticator at first sign-in, then reveals identity with a reason', async () => {
  const context = await e2e.phone();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${e2e.baseUrl}/login`);
  await page.locator('input[name="email"]').fill(world.coordinator.email);
  await page.locator('input[name="password"]').fill(world.coordinator.password);
  await Promise.all([page.waitForURL(`${e2e.baseUrl}/login/second-factor/enrol`), page.locator('form[action="/login"] button[type="submit"]').click()]);
  expect(await page.locator('svg[role="img"]').count()).toBe(1);
  await checkPage(page, 'second-factor-01-enrol');

  const secret = (await page.locator('.totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('確認コード').fill(totpCodeAt(totpKeyFromBase32(secret), totpStep(new Date())));
  await page.getByRole('button', { name: '設定を完了する' }).click();
  await page.waitForSelector('ol.recovery-codes');
  expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
  await checkPage(page, 'second-factor-02-recovery-codes');
  await Promise.all([page.waitForURL(`${e2e.baseUrl}/`), page.getByRole('link', { name: '続ける' }).click()]);

  await page.goto(`${e2e.baseUrl}/cases/${caseId}`);
  expect(await page.locator('main').textContent()).not.toContain('Linh Tran');
  await checkPage(page, 'second-factor-03-case-hidden');
  await page.getByLabel('表示する理由').selectOption('review');
  await page.getByRole('button', { name: '本人情報を表示' }).click();
  await page.waitForSelector('text=Linh Tran');
  await checkPage(page, 'second-factor-04-case-revealed');

  await page.goto(`${e2e.baseUrl}/account/sessions`);
  await checkPage(page, 'second-factor-05-sessions');
  await context.close();
});
