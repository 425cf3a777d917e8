import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from './bootstrap.js';
import { findLitestreamBinary, LitestreamMissing, writeLitestreamConfig } from './litestream.js';
import { APP_NODE_FLAGS } from './node-flags.js';

// `npm start`: with REPLICA_URL the app runs as the child of `litestream replicate -exec`, so
// replication starts before the first write and stops after the last; without it, plainly.
const config = await loadConfigOrExit();

const isCompiled = import.meta.url.endsWith('.js');
const main = fileURLToPath(new URL(isCompiled ? './main.js' : './main.ts', import.meta.url));

if (!config.replica) {
  // tsx maps ./main.js to main.ts, so this line serves both the build and development.
  await import('./main.js');
} else {
  let binary: string;
  try {
    binary = findLitestreamBinary();
  } catch (error) {
    if (!(error instanceof LitestreamMissing)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const configFile = writeLitestreamConfig(config);
  // Litestream splits -exec like a shell; quote the paths in case they hold spaces.
  const command = [process.execPath, ...APP_NODE_FLAGS, ...(isCompiled ? [] : ['--import', 'tsx']), main].map((a) => `"${a}"`).join(' ');
  const litestream = spawn(binary, ['replicate', '-config', configFile, '-exec', command], { stdio: 'inherit' });
  // Litestream passes the signal to the app, waits for it, then makes a last sync.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => litestream.kill(signal));
  litestream.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
