import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { DEMO_ACCOUNTS } from './demo/accounts.js';

// npm run bench:lighthouse — Lighthouse (mobile, simulated slow 4G) against Debian's chromium on the
// demo database served in production mode: the login page and what a supporter opens in the field.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-lighthouse-'));
const port = 3000 + Math.floor(Math.random() * 2000) + 2000;
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  DEMO: '1',
  PORT: String(port),
  HOST: '127.0.0.1',
  NODE_ENV: 'production',
  DATA_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
};
const tsx = (script: string) => ['--import', 'tsx', path.join(root, script)];

let server: ChildProcess | undefined;
const stop = () => {
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
};

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not start');
}

/** Sign in through the real form; the session cookie is what Lighthouse sends with every page. */
async function signIn(email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookies = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies, origin: base },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (res.status !== 303 || !session) throw new Error(`sign-in failed: ${res.status}`);
  return session;
}

try {
  const seeded = spawnSync(process.execPath, tsx('scripts/seed-demo.ts'), { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (seeded.status !== 0) throw new Error('seeding the demo failed');
  server = spawn(process.execPath, tsx('server/main.ts'), { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForHealth();

  const supporter = DEMO_ACCOUNTS.find((a) => a.email.startsWith('supporter'))!;
  const cookie = await signIn(supporter.email, supporter.password);
  const home = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  const caseId = /href="\/cases\/(\d+)"/.exec(home)?.[1] ?? /disbursements\/new\?case=(\d+)/.exec(home)?.[1];
  const casesPage = caseId ? '' : await (await fetch(`${base}/cases`, { headers: { cookie } })).text();
  const someCase = caseId ?? /href="\/cases\/(\d+)"/.exec(casesPage)?.[1];
  if (!someCase) throw new Error('no case found for the supporter');

  const pages: [string, string, boolean][] = [
    ['login', '/login', false],
    ['supporter home', '/', true],
    ['disbursement form', `/disbursements/new?case=${someCase}`, true],
    ['case page', `/cases/${someCase}`, true],
    ['report page', '/reports?from=2023-07-01&to=2025-08-31', true],
  ];
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const rows: string[] = [];
  try {
    for (const [name, url, signedIn] of pages) {
      const result = await lighthouse(`${base}${url}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        ...(signedIn ? { extraHeaders: { Cookie: cookie } } : {}),
      });
      const c = result?.lhr.categories;
      const score = (k: string) => Math.round((c?.[k]?.score ?? 0) * 100);
      const failing = Object.values(result?.lhr.audits ?? {})
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
        .map((a) => a.id);
      rows.push(`| ${name} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${failing.join(', ') || '—'} |`);
      console.error(`${name}: done`);
    }
  } finally {
    await chrome.kill();
  }
  console.log(
    `Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile, simulated slow 4G, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  console.log('| page | performance | accessibility | best practices | failing binary audits |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  stop();
}
