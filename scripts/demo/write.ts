import { writeTransaction, type Db } from '../../db/client.js';
import { recordAudit } from '../../server/domain/audit.js';
import type { DemoPasswordHashes } from './accounts.js';
import { addDays } from './dates.js';
import { countRecords, DEMO_APPLICATION_ID, holdsRecords, isDemoDatabase, type RecordCounts } from '../../server/domain/demo/marker.js';
import { writeDemoRound } from './round-2020.js';
import type { DemoPlan } from './types.js';

/** The database already holds records: demo data is never mixed with anything else. */
export class DemoSeedRefused extends Error {
  constructor(
    readonly counts: RecordCounts,
    readonly isDemo: boolean,
  ) {
    super(
      `refusing to write demonstration data into a database that already holds records ` +
        `(${counts.users} users, ${counts.cases} cases, ${counts.disbursements} disbursements${isDemo ? '' : ', not a demo database'})`,
    );
    this.name = 'DemoSeedRefused';
  }
}

export interface DemoSeedSummary {
  organizations: number;
  users: number;
  cases: number;
  disbursements: number;
  lines: number;
  /** What the report over the target period must show. */
  counted: { total: number; peopleCumulative: number; disbursements: number };
}

export function summarizePlan(plan: DemoPlan): DemoSeedSummary {
  const counted = plan.disbursements.filter((d) => d.counted);
  return {
    organizations: plan.organizations.length,
    users: plan.users.length,
    cases: plan.cases.length,
    disbursements: plan.disbursements.length,
    lines: plan.disbursements.reduce((n, d) => n + d.lines.length, 0),
    counted: {
      total: counted.reduce((sum, d) => sum + d.lines.reduce((s, l) => s + l.amount, 0), 0),
      peopleCumulative: counted.reduce((sum, d) => sum + d.peopleCovered, 0),
      disbursements: counted.length,
    },
  };
}

const mapOf = (rows: unknown[], key: string) => new Map((rows as Record<string, string | number>[]).map((r) => [String(r[key]), Number(r.id)]));

/**
 * Write the plan into an empty migrated database in one transaction, mark the file as a demo
 * database, and record an audit event per disbursement and one for the seed. Refuses (DemoSeedRefused) a database holding records.
 */
export function writeDemoDatabase(db: Db, plan: DemoPlan, hashes: DemoPasswordHashes, now: Date): DemoSeedSummary {
  const summary = summarizePlan(plan);
  writeTransaction(db, (tx) => {
    const counts = countRecords(db);
    if (holdsRecords(counts)) throw new DemoSeedRefused(counts, isDemoDatabase(db));
    const sql = db.$client;
    const setUpAt = `${addDays(plan.cases.reduce((min, c) => (c.openedOn < min ? c.openedOn : min), plan.targets.from), -30)}T00:00:00.000Z`;

    const insertOrg = sql.prepare('INSERT INTO organizations (code, name, prefecture, is_active, created_at) VALUES (?, ?, ?, 1, ?)');
    for (const o of plan.organizations) insertOrg.run(o.code, o.name, o.prefecture, setUpAt);
    const orgId = mapOf(sql.prepare('SELECT id, code FROM organizations').all(), 'code');

    const insertUser = sql.prepare(
      `INSERT INTO users (organization_id, email, display_name, role, is_admin, password_hash, must_change_password, locale, is_active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, 'ja', 1, ?, ?)`,
    );
    for (const u of plan.users) {
      insertUser.run(orgId.get(u.orgCode), u.email, u.displayName, u.role, u.isAdmin ? 1 : 0, hashes.byEmail.get(u.email) ?? hashes.unusable, setUpAt, setUpAt);
    }
    const userId = mapOf(sql.prepare('SELECT id, email FROM users').all(), 'email');

    const insertFund = sql.prepare('INSERT INTO funds (name, budget, starts_on, ends_on, is_default, is_active, created_at) VALUES (?, ?, ?, ?, 0, 1, ?)');
    for (const f of plan.funds) if (!f.isDefault) insertFund.run(f.name, f.budget, f.startsOn, f.endsOn, setUpAt);
    const fundId = mapOf(sql.prepare('SELECT id, name FROM funds').all(), 'name');
    const defaultFund = (sql.prepare('SELECT id FROM funds WHERE is_default = 1').get() as { id: number }).id;
    const fundOf = (name: string) => (plan.funds.find((f) => f.name === name)?.isDefault ? defaultFund : fundId.get(name)!);
    const categoryId = mapOf(sql.prepare('SELECT id, code FROM categories').all(), 'code');

    const insertCase = sql.prepare(
      `INSERT INTO cases (organization_id, code, code_year, code_seq, household_size, gender, age_band, nationality, residence_status,
         prefecture, status, opened_on, closed_on, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const caseRow = new Map<string, { id: number; organizationId: number }>();
    for (const c of plan.cases) {
      const organizationId = orgId.get(c.orgCode)!;
      const updatedAt = c.closedOn ? `${c.closedOn}T01:00:00.000Z` : c.createdAt;
      const { lastInsertRowid } = insertCase.run(organizationId, c.code, c.codeYear, c.codeSeq, c.householdSize, c.gender, c.ageBand, c.nationality,
        c.residenceStatus, c.prefecture, c.status, c.openedOn, c.closedOn, userId.get(c.createdBy), c.createdAt, updatedAt);
      caseRow.set(c.code, { id: Number(lastInsertRowid), organizationId });
    }

    const insertDisbursement = sql.prepare(
      `INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, payee, note, status, version,
         submitted_by, submitted_at, updated_at, decided_by, decided_at, reject_reason, voided_by, voided_at, void_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertLine = sql.prepare(
      `INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const idOf = (email: string | null) => (email === null ? null : userId.get(email)!);
    for (const d of plan.disbursements) {
      const theCase = caseRow.get(d.caseCode)!;
      const fund = fundOf(d.fundName);
      const { lastInsertRowid } = insertDisbursement.run(theCase.id, theCase.organizationId, d.paidOn, fund, d.method, d.peopleCovered, d.payee, d.note,
        d.status, d.version, idOf(d.submittedBy), d.submittedAt, d.updatedAt, idOf(d.decidedBy), d.decidedAt, d.rejectReason, idOf(d.voidedBy), d.voidedAt, d.voidReason);
      d.lines.forEach((line, position) => {
        insertLine.run(lastInsertRowid, position, categoryId.get(line.category), line.amount, d.status, d.paidOn, theCase.organizationId, fund, theCase.id);
      });
      // Each seeded record is bound to the trail like one entered through the app (its money digest).
      recordAudit(tx, { action: 'disbursement.seeded', actorUserId: null, entityType: 'disbursement', entityId: Number(lastInsertRowid), after: { status: d.status }, at: now });
    }

    const round = writeDemoRound(sql, plan, { org: orgId, user: userId, category: categoryId }, setUpAt);
    // The round's records are bound to the trail like every other seeded record.
    for (const id of round.disbursementIds) recordAudit(tx, { action: 'disbursement.seeded', actorUserId: null, entityType: 'disbursement', entityId: id, after: { status: 'approved' }, at: now });
    // One case, one disbursement, one line each.
    Object.assign(summary, { cases: summary.cases + round.cases, disbursements: summary.disbursements + round.disbursements, lines: summary.lines + round.disbursements });

    const insertLock = sql.prepare('INSERT INTO period_locks (starts_on, ends_on, note, locked_by, locked_at) VALUES (?, ?, ?, ?, ?)');
    for (const l of plan.periodLocks) insertLock.run(l.startsOn, l.endsOn, l.note, idOf(l.lockedBy), l.lockedAt);

    // Inside the transaction: a failed seed leaves neither records nor the mark.
    sql.pragma(`application_id = ${DEMO_APPLICATION_ID}`);
    recordAudit(tx, {
      action: 'demo.seeded',
      actorUserId: null,
      entityType: 'database',
      after: {
        seed: plan.seed,
        from: plan.targets.from,
        to: plan.targets.to,
        organizations: summary.organizations,
        users: summary.users,
        cases: summary.cases,
        disbursements: summary.disbursements,
      },
      at: now,
    });
  });
  return summary;
}
