import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { systemClock } from '../../server/domain/clock.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';

/** Debian's chromium (apt-get install chromium), never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };
export const SCREENSHOT_DIR = path.resolve('screenshots');

/**
 * Headless Debian chromium. Without the background-networking flags it keeps trying Google's
 * hosts, which this closed network refuses, many at a time.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A real server on a loopback port over a fresh database, and a headless browser. */
export async function startE2E(env: Record<string, string> = {}, options: { port?: number } = {}) {
  const { config, dataDir } = makeTestConfig({ RATE_LIMIT_PER_MINUTE: '100000', ...env });
  const db = makeTestDb(config);
  const app = await buildApp({ config, db, clock: systemClock, logger: false });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  const browser = await launchChromium();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    app,
    db,
    config,
    dataDir,
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    async phone(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
      return browser.newContext({ viewport: PHONE, javaScriptEnabled: options.javaScriptEnabled ?? true, locale: 'ja-JP', acceptDownloads: true });
    },
    /** A phone context signed in through the real form; the page is on the home page. */
    async signIn(user: { email: string; password: string }, options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
      const context = await this.phone(options);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${this.baseUrl}/login`);
      await page.locator('input[name="email"]').fill(user.email);
      await page.locator('input[name="password"]').fill(user.password);
      await Promise.all([page.waitForURL(`${this.baseUrl}/`), page.locator('form[action="/login"] button[type="submit"]').click()]);
      return { context, page };
    },
    async close() {
      await browser.close();
      await app.close();
      db.$client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
