import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { type Db } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { describeTrailProblems, verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { openKeyedDatabase } from './keyed-database.js';

export interface CrashWorld {
  dbPath: string;
  supporterId: number;
  coordinatorId: number;
  caseId: number;
  fundId: number;
}

export interface RoundResult {
  created: number;
  approved: number;
  problems: string[];
}

/** Start the writer, kill it with SIGKILL after a random moment, then check the database file. */
export async function crashRound(world: CrashWorld, maxRunMs: number): Promise<RoundResult> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild a kill would miss.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/stress/crash-writer.ts',
      world.dbPath,
      String(world.supporterId),
      String(world.coordinatorId),
      String(world.caseId),
      String(world.fundId),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const created = new Set<number>();
  const approved = new Set<number>();
  let buffer = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const [kind, id] = buffer.slice(0, newline).split(' ');
      buffer = buffer.slice(newline + 1);
      (kind === 'created' ? created : approved).add(Number(id));
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Wait until it is really writing, then a random moment more.
  const started = Date.now();
  while (created.size === 0 && Date.now() - started < 30_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, randomInt(1, Math.max(2, maxRunMs))));
  child.kill('SIGKILL');
  await exited;
  const problems: string[] = [];
  if (created.size === 0) problems.push(`the writer never committed: ${errors.slice(0, 500)}`);
  problems.push(...checkAfterCrash(world.dbPath, created, approved));
  return { created: created.size, approved: approved.size, problems };
}

/** What must hold after any crash (issue 8): integrity, foreign keys, chain and ledger, every reported commit. */
export function checkAfterCrash(dbPath: string, created: Set<number>, approved: Set<number>): string[] {
  const problems: string[] = [];
  const db: Db = openKeyedDatabase(dbPath);
  try {
    const sqlite = db.$client;
    const integrity = sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    if ((sqlite.pragma('foreign_key_check') as unknown[]).length > 0) problems.push('foreign_key_check failed');
    // The chain and the ledger against it: a commit is never half bound to its audit event.
    problems.push(...describeTrailProblems(verifyAuditTrail(db)));
    const status = sqlite.prepare('SELECT status FROM disbursements WHERE id = ?');
    for (const id of created) if (!status.get(id)) problems.push(`reported created ${id} is missing`);
    for (const id of approved) {
      const row = status.get(id) as { status: string } | undefined;
      if (row?.status !== 'approved') problems.push(`reported approved ${id} is ${row?.status ?? 'missing'}`);
    }
    const orphans = sqlite
      .prepare('SELECT count(*) AS n FROM disbursements d WHERE NOT EXISTS (SELECT 1 FROM disbursement_lines l WHERE l.disbursement_id = d.id)')
      .get() as { n: number };
    if (orphans.n > 0) problems.push(`${orphans.n} disbursements without lines`);
    const unaudited = sqlite
      .prepare(
        "SELECT count(*) AS n FROM disbursements d WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_type = 'disbursement' AND a.entity_id = CAST(d.id AS TEXT) AND a.action = 'disbursement.created')",
      )
      .get() as { n: number };
    if (unaudited.n > 0) problems.push(`${unaudited.n} disbursements without their audit event`);
    const unauditedApprovals = sqlite
      .prepare(
        "SELECT count(*) AS n FROM disbursements d WHERE d.status = 'approved' AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity_type = 'disbursement' AND a.entity_id = CAST(d.id AS TEXT) AND a.action = 'disbursement.approved')",
      )
      .get() as { n: number };
    if (unauditedApprovals.n > 0) problems.push(`${unauditedApprovals.n} approvals without their audit event`);
  } finally {
    db.$client.close();
  }
  return problems;
}

/** A database with a partner group, its supporter, a coordinator and an open case. */
export function prepareCrashWorld(dbPath: string, passwordHash: string): CrashWorld {
  const db = openKeyedDatabase(dbPath);
  migrateDatabase(db);
  const sqlite = db.$client;
  const org = sqlite.prepare("INSERT INTO organizations (code, name) VALUES ('CRS', 'Crash test group') RETURNING id").get() as { id: number };
  const office = sqlite.prepare("INSERT INTO organizations (code, name) VALUES ('NETC', 'Network office') RETURNING id").get() as { id: number };
  const addUser = sqlite.prepare('INSERT INTO users (organization_id, email, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?) RETURNING id');
  const supporter = addUser.get(org.id, 'crash-supporter@example.org', 'Crash supporter', 'supporter', passwordHash) as { id: number };
  const coordinator = addUser.get(office.id, 'crash-coordinator@example.org', 'Crash coordinator', 'coordinator', passwordHash) as { id: number };
  const theCase = sqlite
    .prepare(
      "INSERT INTO cases (organization_id, code, code_year, code_seq, household_size, opened_on, created_by) VALUES (?, 'CRS-2025-0001', 2025, 1, 2, '2025-01-01', ?) RETURNING id",
    )
    .get(org.id, supporter.id) as { id: number };
  const fund = sqlite.prepare('SELECT id FROM funds WHERE is_default = 1').get() as { id: number };
  db.$client.close();
  return { dbPath, supporterId: supporter.id, coordinatorId: coordinator.id, caseId: theCase.id, fundId: fund.id };
}
