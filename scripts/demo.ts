import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, readEnvironment } from '../server/config.js';
import { DEMO_ACCOUNTS } from './demo/accounts.js';
import { CAMPAIGN_TARGETS } from './demo/targets.js';

// npm run demo — seed a demonstration database in its own directory (never ./data, which
// `npm start` uses), then serve the app on it with every page labelled as fictional.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = path.resolve(root, process.env.DEMO_DATA_DIR || 'data-demo');
// Only warnings and the banner below, unless LOG_LEVEL asks for more.
const env = { ...process.env, DATA_DIR: demoDir, DEMO: '1', LOG_LEVEL: process.env.LOG_LEVEL || 'warn' };
const tsx = (script: string) => [process.execPath, ['--import', 'tsx', path.join(root, script)]] as const;

const [node, seedArgs] = tsx('scripts/seed-demo.ts');
const seeded = spawnSync(node, seedArgs, { cwd: root, env, stdio: 'inherit' });
if (seeded.status !== 0) process.exit(seeded.status ?? 1);

let address: string;
try {
  const config = loadConfig({ ...(await readEnvironment()), DATA_DIR: demoDir, DEMO: '1' });
  address = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const [, serverArgs] = tsx('server/main.ts');
const server = spawn(node, serverArgs, { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** Print the way in once the server answers, so it is the last thing on the screen. */
async function announceWhenReady(): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      if ((await fetch(`${address}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const { from, to } = CAMPAIGN_TARGETS;
  console.log(
    [
      '',
      '================ 緊急支援ケース管理 — demonstration (fictional data) ================',
      `Open ${address}/login and sign in with one of these accounts:`,
      ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(26)} ${a.password.padEnd(22)} ${a.description}`),
      '',
      `The campaign report: ${address}/reports?from=${from}&to=${to}`,
      `Data: ${demoDir} (re-created by every npm run demo). Stop with Ctrl+C.`,
      '====================================================================================',
      '',
    ].join('\n'),
  );
}

void announceWhenReady();
