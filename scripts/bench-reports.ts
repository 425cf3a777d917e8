// npm run bench:reports [-- --lines 1000000] [--keep] [--reuse DIR]
// Builds a synthetic database, starts the app on loopback (as `npm start` does), then measures:
//  (a) GET /reports/summary.json for a 2-year window: median of 7 runs after a warm-up;
//  (b) the same SQL (figureQueries) on a bare better-sqlite3 connection to the same file;
//  (c) the supporter home's req/s and p99 alone, then while a client loops on (a).
// Not part of npm test. Fictional data only.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { figureQueries } from '../server/domain/figures.js';
import { BENCH_PASSWORD, buildBenchDatabase } from './bench-reports-data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const lines = Number(option('lines') ?? process.env.BENCH_LINES ?? 1_000_000);
if (!Number.isSafeInteger(lines) || lines < 1000) throw new Error('--lines must be a whole number ≥ 1000');
const WINDOW = { from: '2023-09-01', to: '2025-08-31' };
const RUNS = 7;
// autocannon (a devDependency) ships no types; this is the slice used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;
const LOAD_SECONDS = Number(option('seconds') ?? 10);
const log = (message: string) => console.log(message);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function main(): Promise<void> {
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const reuse = option('reuse');
  const dataDir = reuse ? path.resolve(reuse) : mkdtempSync(path.join(tmpdir(), 'eacm-bench-'));
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'app.sqlite');
  const marker = path.join(dataDir, 'bench.json');
  if (!(reuse && existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).lines === lines)) {
    rmSync(file, { force: true });
    log(`Building ${lines.toLocaleString('en-US')} lines in ${file} …`);
    const started = performance.now();
    const world = await buildBenchDatabase(file, lines, log);
    writeFileSync(marker, JSON.stringify(world));
    log(`  built in ${((performance.now() - started) / 1000).toFixed(0)} s: ${world.disbursements} disbursements, ${world.cases} cases`);
  }

  const port = 4300 + Math.floor(Math.random() * 500);
  const server = await startServer(dataDir, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const coordinator = await login(base, 'coordinator@bench.example');
    const supporter = await login(base, 'supporter@bench.example');
    const url = `${base}/reports/summary.json?from=${WINDOW.from}&to=${WINDOW.to}`;

    // (a) the app, end to end over HTTP.
    const fetchSummary = async () => {
      const response = await fetch(url, { headers: { cookie: coordinator } });
      if (response.status !== 200) throw new Error(`summary.json answered ${response.status}`);
      return (await response.json()) as { total: number; disbursements: number; cases: number; peopleUnique: number };
    };
    let summary = await fetchSummary();
    const appTimes: number[] = [];
    const appCpu: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = performance.now();
      const c = processCpuMs(server.pid!);
      summary = await fetchSummary();
      appTimes.push(performance.now() - t);
      appCpu.push(processCpuMs(server.pid!) - c);
    }

    // (b) the same SQL on a bare connection, same pragmas and one read transaction, like the worker.
    const raw = new Database(file, { readonly: true });
    raw.pragma('cache_size = -65536');
    raw.pragma('mmap_size = 1073741824');
    const { params, ...texts } = figureQueries({ ...WINDOW, organizationId: null, fundId: null, includePending: false });
    const statements = Object.values(texts).map((text) => raw.prepare(text));
    const runRaw = raw.transaction(() => statements.map((s) => s.all(...params)));
    runRaw();
    const rawTimes: number[] = [];
    const rawCpu: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = performance.now();
      const c = process.cpuUsage();
      runRaw();
      const used = process.cpuUsage(c);
      rawTimes.push(performance.now() - t);
      rawCpu.push((used.user + used.system) / 1000);
    }
    const rawTotal = (raw.prepare(texts.lineDay).all(...params) as { amount: number }[]).reduce((s, r) => s + r.amount, 0);
    if (rawTotal !== summary.total) throw new Error(`raw total ${rawTotal} ≠ app total ${summary.total}`);
    raw.close();

    // (c) the supporter home alone, then while one client loops on the summary.
    const home = () => autocannon({ url: `${base}/`, connections: 4, duration: LOAD_SECONDS, headers: { cookie: supporter } });
    const solo = await home();
    let looping = true;
    let loops = 0;
    const loop = (async () => {
      while (looping) {
        await fetchSummary();
        loops += 1;
      }
    })();
    const loaded = await home();
    looping = false;
    await loop;

    const appMedian = median(appTimes);
    const rawMedian = median(rawTimes);
    const rps = (r: AutocannonResult) => r.requests.average;
    const report = [
      `Reports benchmark — ${new Date().toISOString().slice(0, 10)}`,
      `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; load average at start ${loadAtStart}, at end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      `data: ${lines.toLocaleString('en-US')} lines; window ${WINDOW.from}..${WINDOW.to}: total ¥${summary.total.toLocaleString('en-US')}, ${summary.disbursements} disbursements, ${summary.cases} cases`,
      `(a) app summary.json over HTTP: median ${ms(appMedian)} (runs: ${appTimes.map((t) => t.toFixed(0)).join(', ')})`,
      `(b) same SQL, bare better-sqlite3: median ${ms(rawMedian)} (runs: ${rawTimes.map((t) => t.toFixed(0)).join(', ')})`,
      `    ratio app / raw: ${(appMedian / rawMedian).toFixed(2)}× (target ≤ 1.3×); app under 1 s: ${appMedian < 1000 ? 'yes' : 'NO'}`,
      `    CPU time (robust to other load on the machine): app process ${ms(median(appCpu))}, raw ${ms(median(rawCpu))},` +
        ` ratio ${(median(appCpu) / median(rawCpu)).toFixed(2)}×`,
      `(c) supporter home, ${LOAD_SECONDS} s, 4 connections: solo ${rps(solo).toFixed(0)} req/s, p99 ${solo.latency.p99} ms;` +
        ` while summaries loop (${loops} done): ${rps(loaded).toFixed(0)} req/s, p99 ${loaded.latency.p99} ms`,
      `    throughput ${(rps(loaded) / rps(solo)).toFixed(2)}× solo (target ≥ 0.7×); p99 ${(loaded.latency.p99 / Math.max(1, solo.latency.p99)).toFixed(2)}× solo (target ≤ 1.5×)`,
      `    non-2xx: solo ${solo.non2xx}, loaded ${loaded.non2xx}`,
    ];
    log(`\n${report.join('\n')}`);
  } finally {
    await stopServer(server);
    if (!reuse && !flag('keep')) rmSync(dataDir, { recursive: true, force: true });
    else log(`\nkept ${dataDir} (reuse with --reuse ${dataDir})`);
  }
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; p50: number };
  non2xx: number;
}

/** User + system CPU time of a process so far (Linux /proc; clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The app as `npm start` runs it, on its own process (the bench's own work must not share its thread). */
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start within 120 s')), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('is serving on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Sign in through the real form; returns the session cookie. */
async function login(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error('no CSRF token on /login');
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: token, email, password: BENCH_PASSWORD }).toString(),
  });
  const sid = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('sid='));
  if (response.status !== 303 || !sid) throw new Error(`sign-in failed for ${email}: ${response.status}`);
  return sid;
}

await main();
