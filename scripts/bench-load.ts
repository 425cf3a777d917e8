// npm run bench:load — the app under load on loopback (SPEC issue 8, part 4): the report page for
// a month, the supporter home and the disbursement POST, each against the ceiling of rendering the
// report template from fixed data in the same app setup. Not part of npm test.
//
//   npm run bench:load                         # 50 connections, 20 s per target (~1.5 min)
//   npm run bench:load -- --duration=3 --connections=10 --extra=500   # a quick look
//   npm run bench:load -- --only=post            # one target (ceiling, report, home, post)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type RequestSpec, type Result } from 'autocannon';
import { HttpSession } from './bench/http-session.js';
import { buildLoadDatabase } from './bench/load-data.js';
import { CEILING_PATH } from './bench/report-ceiling.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? process.env[`BENCH_${name.toUpperCase()}`] ?? fallback;
const duration = Number(arg('duration', '20'));
const connections = Number(arg('connections', '50'));
const extra = Number(arg('extra', '3000'));
const month = arg('month', '2025-06');
const warmup = Number(arg('warmup', '2'));
const only = arg('only', '');
const [year, mon] = month.split('-').map(Number) as [number, number];
const from = `${month}-01`;
const to = `${month}-${String(new Date(Date.UTC(year, mon, 0)).getUTCDate()).padStart(2, '0')}`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'eacm-bench-load-'));
console.log(`machine: ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log(`building the database in ${dir}: the demo data + ${extra} approved disbursements …`);
const dataKey = randomBytes(32);
const world = await buildLoadDatabase(dir, extra, dataKey);
console.log(`  ${world.disbursements} disbursements, ${world.lines} lines`);

const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/load-server.ts', from, to, world.coordinator.email], {
  env: {
    ...process.env,
    DATA_DIR: dir,
    DATA_KEY: dataKey.toString('base64'),
    NODE_ENV: 'production',
    LOG_LEVEL: arg('log_level', 'warn'),
    RATE_LIMIT_PER_MINUTE: '10000000',
    // Production asks coordinators for a second factor at sign-in; the bench measures pages, not sign-in.
    REQUIRE_SECOND_FACTOR: '0',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const found = /listening (\d+)/.exec(out);
    if (found) resolve(Number(found[1]));
  });
  server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
});
server.stdout.resume();
const base = `http://127.0.0.1:${port}`;

try {
  const coordinator = await HttpSession.signIn(base, world.coordinator.email, world.coordinator.password, '/account');
  const supporter = await HttpSession.signIn(base, world.supporter.email, world.supporter.password, `/disbursements/new?case=${world.caseId}`);
  const reportPath = `/reports?from=${from}&to=${to}`;

  // The ceiling must be the same page: compare once, tokens aside.
  const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
  const [real, ceiling] = [await coordinator.get(reportPath), await new HttpSession(base).get(CEILING_PATH)];
  const same = real.status === 200 && ceiling.status === 200 && strip(real.body) === strip(ceiling.body);
  console.log(`ceiling renders the same page as ${reportPath}: ${same ? 'yes' : 'NO'} (${real.body.length} and ${ceiling.body.length} bytes)`);

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const disbursementBody = () =>
    new URLSearchParams({
      _csrf: supporter.token,
      caseId: String(world.caseId),
      idempotencyKey: randomBytes(16).toString('base64url'),
      paidOn: today,
      fundId: String(world.fundId),
      method: 'cash',
      peopleCovered: '1',
      'lines[0][category]': 'food',
      'lines[0][amount]': '1200',
      // The same case paid again and again on purpose: past the duplicate warning (issue 14).
      duplicateConfirmed: '1',
    }).toString();
  const allTargets: { key: string; name: string; path: string; cookie?: string; requests?: RequestSpec[] }[] = [
    { key: 'ceiling', name: 'ceiling (fixed data)', path: CEILING_PATH },
    { key: 'report', name: `report page ${month}`, path: reportPath, cookie: coordinator.cookieHeader() },
    { key: 'home', name: 'supporter home /', path: '/', cookie: supporter.cookieHeader() },
    {
      key: 'post',
      name: 'disbursement POST',
      path: '/disbursements',
      cookie: supporter.cookieHeader(),
      // A fresh form key per request: each one is a new record, never a replay.
      requests: [{ method: 'POST', path: '/disbursements', setupRequest: (request) => ({ ...request, body: disbursementBody() }) }],
    },
  ];
  const targets = only === '' ? allTargets : allTargets.filter((t) => only.split(',').includes(t.key));

  const results: { key: string; name: string; result: Result }[] = [];
  for (const target of targets) {
    const options = {
      url: base + target.path,
      timeout: 10,
      headers: { ...(target.cookie ? { cookie: target.cookie } : {}), ...(target.requests ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(target.requests ? { requests: target.requests } : {}),
    };
    if (warmup > 0) await autocannon({ ...options, connections: Math.min(10, connections), duration: warmup });
    process.stdout.write(`${target.name}: ${connections} connections for ${duration} s … `);
    const result = await autocannon({ ...options, connections, duration });
    results.push({ key: target.key, name: target.name, result });
    console.log(`${Math.round(result.requests.average)} req/s`);
  }

  const byKey = (key: string) => results.find((x) => x.key === key)?.result;
  const ceilingRate = byKey('ceiling')?.requests.average;
  const share = (r: Result) => (ceilingRate ? `${((100 * r.requests.average) / ceilingRate).toFixed(0)}%` : '');
  const rows = results.map(({ key, name, result: r }) => {
    const codes = Object.entries(r.statusCodeStats)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(' ');
    const ratio = key === 'report' || key === 'home' ? share(r) : '';
    return `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors} | ${r['5xx']} | ${r['4xx']} | ${codes} | ${ratio} |`;
  });
  console.log(
    ['', `| target | req/s | p50 ms | p99 ms | errors | 5xx | 4xx | status codes | vs ceiling |`, '|---|---:|---:|---:|---:|---:|---:|---|---:|', ...rows].join(
      '\n',
    ),
  );

  const [report, post] = [byKey('report'), byKey('post')];
  const checks: [string, boolean][] = [
    ['0 errors and 0 5xx', results.every((x) => x.result.errors === 0 && x.result['5xx'] === 0)],
    ['the ceiling renders the same page', same],
  ];
  if (post) {
    checks.push([`disbursement POST p99 < 100 ms (${post.latency.p99} ms)`, post.latency.p99 < 100]);
    checks.push(['every POST answered 303 (a new record)', post['2xx'] === 0 && post['4xx'] === 0 && (post.statusCodeStats['303']?.count ?? 0) > 0]);
  }
  if (report && ceilingRate) checks.push([`report page ≥ 40% of the ceiling (${share(report)})`, report.requests.average >= 0.4 * ceilingRate]);
  console.log('');
  for (const [label, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${label}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
} finally {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
