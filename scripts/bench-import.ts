// npm run bench:import [-- --rows 50000] [--seconds 4] [--direct-only | --http-only]
// A fictional 50,000-row workbook imported through the running app (as `npm start` serves it):
// upload (read on the parser thread, staged), dry run, commit; the time of each step, the app's
// peak RSS (VmHWM), and the supporter home's req/s alone and while each step runs.
// Not part of npm test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import ExcelJS from 'exceljs';
import { bindAuditKey } from '../server/domain/audit-key.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema.js';
import { createImportRunner } from '../server/domain/imports/import-pool.js';
import { createOrganization } from '../server/domain/organizations.js';
import { hashPassword } from '../server/domain/passwords.js';
import { APP_NODE_FLAGS } from '../server/node-flags.js';
import { HttpSession } from './bench/http-session.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const ROWS = Number(option('rows') ?? 50_000);
const SECONDS = Number(option('seconds') ?? 4);
const PASSWORD = 'bench import password';
const log = (m: string) => console.log(m);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function makeWorkbook(rows: number): Promise<Buffer> {
  const words = ['家賃', '食費', '医療費', '光熱費', '帰国費用', '学費'];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('支給記録');
  ws.addRow(['支給日', 'ケース番号', '区分', '金額', '人数', '支給方法', '備考']);
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2022, 3, 1) + (i % 900) * 86_400_000);
    ws.addRow([day, `K-${String(i % 5000).padStart(5, '0')}`, words[i % words.length], 1000 + ((i * 37) % 90) * 500, 1 + (i % 3), i % 2 ? '現金' : '振込', '']);
  }
  ws.getColumn(1).numFmt = 'yyyy/mm/dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The bench's DATA_KEY: the audit chain and identity fields are keyed by it, as in the app. */
const BENCH_KEY = Buffer.alloc(32, 9);

async function prepareDatabase(dataDir: string): Promise<void> {
  const db = bindAuditKey(openDatabase(path.join(dataDir, 'app.sqlite')), BENCH_KEY);
  migrateDatabase(db);
  const hash = await hashPassword(PASSWORD);
  for (const [code, email] of [
    ['BEN', 'supporter@bench.example'],
    ['BEO', 'http@bench.example'],
  ] as const) {
    const orgId = db.transaction((tx) => createOrganization(tx, null, { code, name: `Bench group ${code} (fictional)`, prefecture: null }, new Date()));
    db.insert(users)
      .values({
        email,
        displayName: `Bench supporter ${code}`,
        role: 'supporter',
        organizationId: orgId,
        passwordHash: hash,
        mustChangePassword: false,
        locale: 'ja',
      })
      .run();
  }
  db.$client.close();
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = 4800 + Math.floor(Math.random() * 400);
  // The compiled build, as `npm start` runs it (tsx would add its compiler to both threads' memory).
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build.ts')], { cwd: root, stdio: 'ignore' });
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, path.join(root, 'dist/server/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATA_KEY: BENCH_KEY.toString('base64'),
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
  return { child, base: `http://127.0.0.1:${port}` };
}

const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** The home page's req/s over `seconds`, or until `until` settles (then at least one second). */
async function homeRate(base: string, cookie: string, seconds: number): Promise<number> {
  const result = await autocannon({ url: `${base}/`, connections: 4, duration: seconds, headers: { cookie } });
  if (result.non2xx > 0) throw new Error(`home answered ${result.non2xx} non-2xx`);
  return result.requests.average;
}

/** Time one step while the home page is under load; the load runs for the step's whole length. */
async function duringStep(base: string, cookie: string, step: () => Promise<void>): Promise<{ ms: number; rate: number }> {
  const started = performance.now();
  let done = false;
  const stepDone = step().finally(() => {
    done = true;
  });
  const rates: number[] = [];
  while (!done) rates.push(await homeRate(base, cookie, 1));
  await stepDone;
  return { ms: performance.now() - started, rate: rates.reduce((a, b) => a + b, 0) / Math.max(rates.length, 1) };
}

/**
 * The same steps as the app runs them (the import thread with its own connection), timed directly
 * so the figures do not depend on the HTTP server's 30 s request timeout on a busy machine.
 */
async function measureDirect(dataDir: string, file: Buffer): Promise<void> {
  const dataKey = BENCH_KEY;
  const db = bindAuditKey(openDatabase(path.join(dataDir, 'app.sqlite')), dataKey);
  const runner = createImportRunner(db, dataKey);
  try {
    const u = db.select().from(users).where(eq(users.email, 'supporter@bench.example')).get()!;
    const actor = { userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: u.displayName, locale: u.locale };
    let t = performance.now();
    const staged = await runner.run({
      kind: 'upload',
      bytes: new Uint8Array(file),
      fileName: 'past-records.xlsx',
      sheet: null,
      actor,
      organizationId: actor.organizationId,
      sha256: 'f'.repeat(64),
      now: new Date().toISOString(),
    });
    if (!staged.ok) throw new Error(`upload refused: ${staged.problem.key}`);
    const { batchId } = staged;
    const uploadMs = performance.now() - t;
    const mapping = {
      columns: { paidOn: 0, caseRef: 1, category: 2, amount: 3, peopleCovered: 4, method: 5, note: 6 },
      categoryWords: {},
      methodWords: {},
      defaultMethod: 'cash' as const,
      defaultFundId: 1,
    };
    const today = new Date().toISOString().slice(0, 10);
    t = performance.now();
    const dry = await runner.run({ kind: 'dryRun', actor, batchId, mapping, today, saveAs: null, now: new Date().toISOString() });
    const dryMs = performance.now() - t;
    if (dry.ok !== ROWS) throw new Error(`dry run accepted ${dry.ok} of ${ROWS} rows`);
    t = performance.now();
    const done = await runner.run({ kind: 'commit', actor, batchId, today, now: new Date().toISOString() });
    const commitMs = performance.now() - t;
    log(
      `Direct (one process, import thread): read + stage ${secs(uploadMs)}; dry run ${secs(dryMs)}; commit ${secs(commitMs)} (${done.disbursements.toLocaleString('en-US')} records, ${done.newCases.toLocaleString('en-US')} new cases, ¥${done.total.toLocaleString('en-US')})`,
    );
    log(`Peak RSS of that process (VmHWM, both threads): ${peakRssMb(process.pid).toFixed(0)} MB`);
  } finally {
    await runner.close();
    db.$client.close();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-bench-import-'));
  try {
    await prepareDatabase(dataDir);
    const t = performance.now();
    const file = await makeWorkbook(ROWS);
    log(`Workbook: ${ROWS.toLocaleString('en-US')} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB, made in ${secs(performance.now() - t)}`);
    if (!argv.includes('--http-only')) await measureDirect(dataDir, file);
    if (argv.includes('--direct-only')) return;
    // The HTTP part imports the same rows as another group's file, so nothing is a duplicate.
    const { child, base } = await startServer(dataDir);
    try {
      const session = await HttpSession.signIn(base, 'http@bench.example', PASSWORD, '/imports/new');
      const cookie = session.cookieHeader();
      // Warm the JIT first, then measure alone the way the steps are measured (one-second runs).
      await homeRate(base, cookie, 3);
      const soloRates: number[] = [];
      for (let i = 0; i < SECONDS; i++) soloRates.push(await homeRate(base, cookie, 1));
      const solo = soloRates.reduce((a, b) => a + b, 0) / soloRates.length;
      log(`Home page alone: ${solo.toFixed(0)} req/s; peak RSS of the app so far ${peakRssMb(child.pid!).toFixed(0)} MB`);
      let batchPath = '';
      const uploadStep = await duringStep(base, cookie, async () => {
        const form = new FormData();
        form.set('_csrf', session.token);
        form.set('file', new Blob([file]), 'past-records.xlsx');
        const res = await fetch(`${base}/imports`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
        batchPath = res.headers.get('location') ?? '';
        if (res.status !== 303) throw new Error(`upload answered ${res.status}`);
      });
      const afterUpload = peakRssMb(child.pid!);
      await session.get(batchPath);
      const mapping = {
        'col[paidOn]': '0',
        'col[caseRef]': '1',
        'col[category]': '2',
        'col[amount]': '3',
        'col[peopleCovered]': '4',
        'col[method]': '5',
        'col[note]': '6',
        defaultMethod: 'cash',
        defaultFundId: '1',
      };
      const dryStep = await duringStep(base, cookie, async () => {
        const r = await session.post(`${batchPath}/dry-run`, mapping);
        if (r.status !== 303) throw new Error(`dry run answered ${r.status}`);
      });
      const afterDry = peakRssMb(child.pid!);
      const preview = await session.get(batchPath);
      if (!preview.body.includes(`取り込める行: ${ROWS}`)) throw new Error('the dry run did not accept every row');
      const commitStep = await duringStep(base, cookie, async () => {
        const r = await session.post(`${batchPath}/commit`, {});
        if (r.status !== 303) throw new Error(`commit answered ${r.status}`);
      });
      const peak = peakRssMb(child.pid!);
      log(
        `Upload (read and staged on the import thread): ${secs(uploadStep.ms)}; home meanwhile ${uploadStep.rate.toFixed(0)} req/s (${(uploadStep.rate / solo).toFixed(2)}×)`,
      );
      log(`Dry run: ${secs(dryStep.ms)}; home meanwhile ${dryStep.rate.toFixed(0)} req/s (${(dryStep.rate / solo).toFixed(2)}×)`);
      log(`Commit: ${secs(commitStep.ms)}; home meanwhile ${commitStep.rate.toFixed(0)} req/s (${(commitStep.rate / solo).toFixed(2)}×)`);
      log(
        `Peak RSS of the app process (VmHWM): ${peak.toFixed(0)} MB (after the upload ${afterUpload.toFixed(0)} MB, after the dry run ${afterDry.toFixed(0)} MB)`,
      );
      log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
