// The synthetic database for `npm run bench:reports`: realistic spread, built fast with raw
// prepared statements in big transactions. Fictional throughout.
import Database from 'better-sqlite3';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { RESIDENCE_STATUSES } from '../db/schema.js';
import { hashPassword } from '../server/domain/passwords.js';

export const BENCH_PASSWORD = 'bench password for synthetic data';
export const BENCH_START = '2020-09-01';
export const BENCH_DAYS = 1826; // five years to 2025-08-31

export interface BenchWorld {
  coordinatorEmail: string;
  supporterEmail: string;
  lines: number;
  disbursements: number;
  cases: number;
  organizations: number;
}

/** Deterministic PRNG (mulberry32): the same N gives the same database. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayString = (offset: number) => new Date(Date.parse(`${BENCH_START}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

function pick<T>(rnd: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [value, w] of weighted) {
    x -= w;
    if (x < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

export async function buildBenchDatabase(file: string, targetLines: number, log: (m: string) => void): Promise<BenchWorld> {
  const migrated = openDatabase(file);
  migrateDatabase(migrated);
  migrated.$client.close();

  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('foreign_keys = ON');
  const rnd = random(20250615);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const orgCount = 300;
  const caseCount = Math.max(1000, Math.round((targetLines / 1_000_000) * 200_000));

  const orgIds: number[] = [];
  const orgCodes: string[] = [];
  let coordinatorId = 0;
  db.transaction(() => {
    const insertOrg = db.prepare('INSERT INTO organizations (code, name, prefecture) VALUES (?, ?, ?)');
    const office = Number(insertOrg.run('NET', 'ネットワーク事務局 (bench)', '13').lastInsertRowid);
    for (let i = 0; i < orgCount; i += 1) {
      const code = `B${letters[Math.floor(i / 26) % 26]}${letters[i % 26]}`;
      orgIds.push(Number(insertOrg.run(code, `支援団体 ${code} (bench)`, String(1 + (i % 47)).padStart(2, '0')).lastInsertRowid));
      orgCodes.push(code);
    }
    const insertUser = db.prepare('INSERT INTO users (organization_id, email, display_name, role, is_admin, password_hash) VALUES (?, ?, ?, ?, ?, ?)');
    coordinatorId = Number(insertUser.run(office, 'coordinator@bench.example', 'Bench Coordinator', 'coordinator', 1, passwordHash).lastInsertRowid);
    insertUser.run(orgIds[0], 'supporter@bench.example', 'Bench Supporter', 'supporter', 0, passwordHash);
    const insertFund = db.prepare('INSERT INTO funds (name, budget, starts_on, ends_on) VALUES (?, ?, ?, ?)');
    insertFund.run('助成金A (bench)', 300_000_000, '2023-04-01', '2025-03-31');
    insertFund.run('助成金B (bench)', 150_000_000, '2024-04-01', '2026-03-31');
    insertFund.run('緊急キャンペーン (bench)', null, null, null);
  })();
  const fundIds = (db.prepare('SELECT id FROM funds ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  const categoryIds = (db.prepare('SELECT id FROM categories ORDER BY sort_order').all() as { id: number }[]).map((r) => r.id);

  // Cases: a few large groups and many small ones.
  const caseOrg: number[] = [];
  const caseHousehold: number[] = [];
  const caseIds: number[] = [];
  const nationalities = ['MM', 'TR', 'LK', 'NP', 'VN', 'PH', 'CN', 'IR', 'UG', 'CM', 'BD', 'PK', 'unknown'];
  db.transaction(() => {
    const insertCase = db.prepare(
      `INSERT INTO cases (organization_id, code, code_year, code_seq, household_size, residence_status, nationality, opened_on, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const seq = new Map<number, number>();
    for (let i = 0; i < caseCount; i += 1) {
      const orgIndex = Math.floor(orgCount * rnd() ** 1.6);
      const next = (seq.get(orgIndex) ?? 0) + 1;
      seq.set(orgIndex, next);
      const household = pick(rnd, [
        [1, 50],
        [2, 20],
        [3, 13],
        [4, 10],
        [5, 5],
        [6, 2],
      ] as const);
      const status = RESIDENCE_STATUSES[Math.floor(rnd() * RESIDENCE_STATUSES.length)]!;
      const nationality = nationalities[Math.floor(rnd() * rnd() * nationalities.length)]!;
      const id = insertCase.run(
        orgIds[orgIndex],
        `${orgCodes[orgIndex]}-2020-${String(next).padStart(5, '0')}`,
        2020,
        next,
        household,
        status,
        nationality,
        BENCH_START,
        coordinatorId,
      ).lastInsertRowid;
      caseIds.push(Number(id));
      caseOrg.push(orgIds[orgIndex]!);
      caseHousehold.push(household);
    }
  })();
  log(`  ${caseCount} cases in ${orgCount} groups`);

  const insertD = db.prepare(
    `INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, payee, status, submitted_by,
       submitted_at, decided_by, decided_at, reject_reason, voided_by, voided_at, void_reason)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertL = db.prepare(
    `INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const methods = [
    ['cash', 40],
    ['bank_transfer', 25],
    ['paid_to_provider', 20],
    ['prepaid_card', 8],
    ['in_kind', 5],
    ['other', 2],
  ] as const;
  const statuses = [
    ['approved', 90],
    ['pending', 4],
    ['rejected', 3],
    ['voided', 2],
    ['withdrawn', 1],
  ] as const;
  const categoryWeights = categoryIds.map((id, i) => [id, [37, 27, 14, 11, 5, 4, 2][i] ?? 1] as const);
  let lines = 0;
  let disbursements = 0;
  const batch = 50_000;
  while (lines < targetLines) {
    db.transaction(() => {
      const stop = Math.min(targetLines, lines + batch);
      while (lines < stop) {
        // Chronological, as real records are: the id order follows the paid-on order.
        const day = Math.min(BENCH_DAYS - 1, Math.floor((lines / targetLines) * BENCH_DAYS));
        const paidOn = dayString(day);
        const c = Math.floor(rnd() * caseIds.length);
        const status = pick(rnd, statuses);
        const decided = status === 'pending' ? null : `${paidOn}T09:00:00.000Z`;
        const fund =
          fundIds[
            pick(rnd, [
              [0, 60],
              [1, 20],
              [2, 12],
              [3, 8],
            ] as const)
          ] ?? fundIds[0]!;
        const people = 1 + Math.floor(rnd() * caseHousehold[c]!);
        const id = Number(
          insertD.run(
            caseIds[c],
            caseOrg[c],
            paidOn,
            fund,
            pick(rnd, methods),
            people,
            status,
            coordinatorId,
            `${paidOn}T03:00:00.000Z`,
            decided ? coordinatorId : null,
            decided,
            status === 'rejected' ? 'bench' : null,
            status === 'voided' ? coordinatorId : null,
            status === 'voided' ? `${paidOn}T10:00:00.000Z` : null,
            status === 'voided' ? 'bench' : null,
          ).lastInsertRowid,
        );
        disbursements += 1;
        const count = Math.min(
          stop - lines,
          pick(rnd, [
            [1, 55],
            [2, 30],
            [3, 15],
          ] as const),
        );
        for (let p = 0; p < count; p += 1) {
          const amount = 1000 * (1 + Math.floor(rnd() * rnd() * 200));
          insertL.run(id, p, pick(rnd, categoryWeights), amount, status, paidOn, caseOrg[c], fund, caseIds[c]);
          lines += 1;
        }
      }
    })();
    log(`  ${lines} lines`);
  }
  db.exec('ANALYZE');
  db.close();
  return {
    coordinatorEmail: 'coordinator@bench.example',
    supporterEmail: 'supporter@bench.example',
    lines,
    disbursements,
    cases: caseCount,
    organizations: orgCount,
  };
}
