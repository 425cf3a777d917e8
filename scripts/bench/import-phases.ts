// The import's memory by phase, in a process that holds nothing else: the workbook is read from a
// file (write one with `--write FILE`), the steps run on the import thread as the app runs them,
// and the process's RSS is sampled every 50 ms. Not part of npm test.
//   tsx scripts/bench/import-phases.ts --write /tmp/wb.xlsx [--rows 50000]
//   tsx scripts/bench/import-phases.ts --read /tmp/wb.xlsx
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { users } from '../../db/schema.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { createImportRunner } from '../../server/domain/imports/import-pool.js';
import { createOrganization } from '../../server/domain/organizations.js';

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function writeWorkbook(file: string, rows: number): Promise<void> {
  const words = ['家賃', '食費', '医療費', '光熱費', '帰国費用', '学費'];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('支給記録');
  ws.addRow(['支給日', 'ケース番号', '区分', '金額', '人数', '支給方法', '備考']);
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2022, 3, 1) + (i % 900) * 86_400_000);
    ws.addRow([day, `K-${String(i % 5000).padStart(5, '0')}`, words[i % words.length], 1000 + ((i * 37) % 90) * 500, 1 + (i % 3), i % 2 ? '現金' : '振込', '']);
  }
  ws.getColumn(1).numFmt = 'yyyy/mm/dd';
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
}

/** Runs `step`, sampling RSS meanwhile; returns the step's time and the highest RSS seen. */
async function sampled<T>(step: () => Promise<T>): Promise<{ value: T; ms: number; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const started = performance.now();
  try {
    const value = await step();
    return { value, ms: performance.now() - started, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

async function measure(file: string): Promise<void> {
  const key = Buffer.alloc(32, 9);
  const dir = mkdtempSync(path.join(tmpdir(), 'eacm-import-phases-'));
  try {
    const db = bindAuditKey(openDatabase(path.join(dir, 'app.sqlite')), key);
    migrateDatabase(db);
    const orgId = db.transaction((tx) => createOrganization(tx, null, { code: 'PHS', name: 'Phase group (fictional)', prefecture: null }, new Date()));
    db.insert(users)
      .values({
        email: 'phases@bench.example',
        displayName: 'Phases',
        role: 'supporter',
        organizationId: orgId,
        passwordHash: 'x',
        mustChangePassword: false,
        locale: 'ja',
      })
      .run();
    const u = db.select().from(users).where(eq(users.email, 'phases@bench.example')).get()!;
    const actor = { userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: u.displayName, locale: u.locale };
    const runner = createImportRunner(db, key);
    const bytes = new Uint8Array(readFileSync(file));
    console.log(`Before: RSS ${mb(process.memoryUsage.rss())}`);
    const now = () => new Date().toISOString();
    const up = await sampled(() =>
      runner.run({ kind: 'upload', bytes, fileName: 'phases.xlsx', sheet: null, actor, organizationId: orgId, sha256: 'e'.repeat(64), now: now() }),
    );
    if (!up.value.ok) throw new Error(up.value.problem.key);
    console.log(`Upload (read + stage): ${(up.ms / 1000).toFixed(1)} s, peak RSS ${mb(up.peak)}`);
    const mapping = {
      columns: { paidOn: 0, caseRef: 1, category: 2, amount: 3, peopleCovered: 4, method: 5, note: 6 },
      categoryWords: {},
      methodWords: {},
      defaultMethod: 'cash' as const,
      defaultFundId: 1,
    };
    const today = now().slice(0, 10);
    const dry = await sampled(() =>
      runner.run({ kind: 'dryRun', actor, batchId: up.value.ok ? up.value.batchId : 0, mapping, today, saveAs: null, now: now() }),
    );
    console.log(`Dry run: ${(dry.ms / 1000).toFixed(1)} s, peak RSS ${mb(dry.peak)} (${dry.value.ok} rows ok)`);
    const commit = await sampled(() => runner.run({ kind: 'commit', actor, batchId: up.value.ok ? up.value.batchId : 0, today, now: now() }));
    console.log(`Commit: ${(commit.ms / 1000).toFixed(1)} s, peak RSS ${mb(commit.peak)} (${commit.value.disbursements} records)`);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1];
    console.log(`VmHWM of the process: ${(Number(hwm) / 1024).toFixed(0)} MB`);
    await runner.close();
    db.$client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (option('write')) await writeWorkbook(option('write')!, Number(option('rows') ?? 50_000));
else if (option('read')) await measure(option('read')!);
else throw new Error('--write FILE or --read FILE');
