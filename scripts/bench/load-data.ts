// The database for `npm run bench:load`: the demonstration data (its accounts can sign in), topped
// up with extra approved disbursements spread over the same 26 months. Fictional throughout.
import path from 'node:path';
import { openDatabase } from '../../db/client.js';
import { DEMO_ACCOUNTS } from '../demo/accounts.js';
import { seedDemoFile } from '../demo/seed.js';

export interface LoadWorld {
  databasePath: string;
  supporter: { email: string; password: string };
  coordinator: { email: string; password: string };
  /** An open case of the supporter's group, for the disbursement POST. */
  caseId: number;
  fundId: number;
  disbursements: number;
  lines: number;
}

const account = (role: string, isAdmin: boolean) => {
  const a = DEMO_ACCOUNTS.find((x) => x.role === role && x.isAdmin === isAdmin)!;
  return { email: a.email, password: a.password };
};

/** Deterministic (mulberry32): the same run builds the same database. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_DAY = Date.parse('2023-07-01T00:00:00Z');
const DAYS = 793; // to 2025-08-31

export async function buildLoadDatabase(dir: string, extra: number, dataKey: Buffer): Promise<LoadWorld> {
  const databasePath = path.join(dir, 'app.sqlite');
  await seedDemoFile(databasePath, new Date(), { dataKey });
  const db = openDatabase(databasePath);
  const sql = db.$client;
  const cases = sql.prepare('SELECT id, organization_id AS org FROM cases').all() as { id: number; org: number }[];
  const categories = sql.prepare('SELECT id FROM categories WHERE is_active = 1 AND requires_note = 0').pluck().all() as number[];
  const fundId = sql.prepare('SELECT id FROM funds WHERE is_default = 1').pluck().get() as number;
  const userId = (email: string) => sql.prepare('SELECT id FROM users WHERE email = ?').pluck().get(email) as number;
  const submitter = userId('reviewer@demo.example');
  const decider = userId(account('coordinator', true).email);
  const insertDisbursement = sql.prepare(
    `INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, status, submitted_by, submitted_at, updated_at, decided_by, decided_at)
     VALUES (?, ?, ?, ?, 'cash', 1, 'approved', ?, ?, ?, ?, ?)`,
  );
  const insertLine = sql.prepare(
    `INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id)
     VALUES (?, ?, ?, ?, 'approved', ?, ?, ?, ?)`,
  );
  const rnd = random(20250615);
  sql.transaction(() => {
    for (let i = 0; i < extra; i++) {
      const c = cases[Math.floor(rnd() * cases.length)]!;
      const paidOn = new Date(FIRST_DAY + Math.floor(rnd() * DAYS) * 86_400_000).toISOString().slice(0, 10);
      const at = `${paidOn}T03:00:00.000Z`;
      const id = Number(insertDisbursement.run(c.id, c.org, paidOn, fundId, submitter, at, at, decider, at).lastInsertRowid);
      const count = 1 + Math.floor(rnd() * 3);
      for (let position = 0; position < count; position++) {
        insertLine.run(id, position, categories[Math.floor(rnd() * categories.length)]!, 1000 * (1 + Math.floor(rnd() * 60)), paidOn, c.org, fundId, c.id);
      }
    }
  })();
  const supporterOrg = sql.prepare("SELECT id FROM organizations WHERE code = 'TKY'").pluck().get() as number;
  const caseId = sql
    .prepare("SELECT id FROM cases WHERE organization_id = ? AND status = 'open' AND household_size >= 1 ORDER BY id LIMIT 1")
    .pluck()
    .get(supporterOrg) as number;
  const totals = sql.prepare('SELECT (SELECT count(*) FROM disbursements) AS d, (SELECT count(*) FROM disbursement_lines) AS l').get() as {
    d: number;
    l: number;
  };
  db.$client.close();
  return {
    databasePath,
    supporter: account('supporter', false),
    coordinator: account('coordinator', true),
    caseId,
    fundId,
    disbursements: totals.d,
    lines: totals.l,
  };
}
