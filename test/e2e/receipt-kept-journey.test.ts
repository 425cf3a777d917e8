import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { disbursements, receipts } from '../../db/schema.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';
import { checkPage } from './checks.js';
import { startE2E } from './harness.js';

// Journey (a) of issue 16: a photo of the receipt is chosen, 支給方法 is forgotten, the form comes
// back with the photo still there; once the method is chosen the record has its receipt.
vi.setConfig({ testTimeout: 120_000 });
let e2e: Awaited<ReturnType<typeof startE2E>>;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  e2e = await startE2E();
  world = await makeWorld(e2e.db);
});
afterAll(async () => e2e?.close());

it('a receipt chosen before a validation error is still attached after the fix', async () => {
  const theCase = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 });
  const photo = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#dcb' } })
    .jpeg()
    .toBuffer();
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  await page.getByLabel('1行目の区分').selectOption('food');
  await page.getByLabel('1行目の金額（円）').fill('4,500');
  await page.locator('#f-receipt').setInputFiles({ name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.getByRole('button', { name: '記録する' }).click();

  // Back with the error, the amount and the photo (a thumbnail that really loads).
  await expect.poll(() => page.locator('#f-method-error').isVisible()).toBe(true);
  expect(await page.getByLabel('1行目の金額（円）').inputValue()).toBe('4,500');
  const thumb = page.locator('.held-receipt img');
  await expect.poll(() => thumb.evaluate<number, HTMLImageElementLike>((img) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await page.getByRole('checkbox', { name: '削除' }).isChecked()).toBe(false);
  await checkPage(page, 'receipt-kept-01-error');

  await page.getByLabel('支給方法').selectOption('cash');
  await page.getByRole('button', { name: '記録する' }).click();
  await page.waitForURL(/\/disbursements\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  expect(e2e.db.select().from(disbursements).where(eq(disbursements.caseId, theCase.id)).all()).toHaveLength(1);
  const attached = e2e.db.select().from(receipts).where(eq(receipts.disbursementId, id)).all();
  expect(attached.map((r) => r.mediaType)).toEqual(['image/jpeg']);
  await checkPage(page, 'receipt-kept-02-recorded');
  await context.close();
});

/** The one property read from the page's <img> (the project's TypeScript has no DOM library). */
interface HTMLImageElementLike {
  naturalWidth: number;
}

it('the submit button stays in reach on a phone without covering the field being filled', async () => {
  const theCase = makeCase(e2e.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 });
  const { context, page } = await e2e.signIn(world.tokyoSupporter);
  await page.goto(`${e2e.baseUrl}/disbursements/new?case=${theCase.id}`);
  const button = page.getByRole('button', { name: '記録する' });
  const box = async (locator: ReturnType<typeof page.locator>) => (await locator.boundingBox())!;
  // At the top of the form the button is already on screen.
  expect((await box(button)).y + (await box(button)).height).toBeLessThanOrEqual(844);
  for (const label of ['対象人数', '支払先', '1行目の金額（円）']) {
    const field = page.getByLabel(label);
    await field.focus();
    const [f, b] = [await box(field), await box(button)];
    expect(f.y + f.height, `${label} above the button`).toBeLessThanOrEqual(b.y);
    expect(b.y + b.height).toBeLessThanOrEqual(844);
  }
  await checkPage(page, 'phone-form-01-sticky');
  await context.close();
});
