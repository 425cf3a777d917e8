import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint, readCheckpoint } from '../../server/domain/audit-checkpoint.js';
import { verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { macAuditEvent, verifyAuditChain, type ChainedFields } from '../../server/domain/audit.js';
import { updateDisbursement } from '../../server/domain/disbursements.js';
import { computeSummary } from '../../server/domain/figures.js';
import { readMoneyDigest } from '../../server/domain/money-digest.js';
import { createPeriodLock } from '../../server/domain/period-locks.js';
import { rejectDisbursement, voidDisbursement, withdrawDisbursement } from '../../server/domain/workflow.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { actorFor, submitThroughApp } from '../helpers/audited-world.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
const now = new Date('2025-06-15T03:00:00Z');
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const sql = (statement: string) => ctx.db.$client.exec(statement);
const who = () => ({ supporter: world.tokyoSupporter, coordinator: world.admin });
const lastEvent = (id: number) =>
  ctx.db.$client
    .prepare("SELECT action, after FROM audit_events WHERE entity_type = 'disbursement' AND entity_id = ? ORDER BY id DESC LIMIT 1")
    .get(String(id)) as {
    action: string;
    after: string;
  };
const digestOfLastEvent = (id: number) => (JSON.parse(lastEvent(id).after) as { moneyDigest?: string }).moneyDigest;
const FY2024 = { from: '2024-04-01', to: '2025-03-31', organizationId: null, fundId: null, includePending: false };

describe('every disbursement event carries the digest of the money state after the change', () => {
  it('create, edit, approve, void, reject and withdraw each bind the ledger as it then is', () => {
    const id = submitThroughApp(ctx.db, who(), { approve: false });
    const seen: string[] = [];
    const check = (action: string) => {
      expect(lastEvent(id).action).toBe(action);
      const digest = digestOfLastEvent(id)!;
      expect(digest).toBe(readMoneyDigest(ctx.db, id));
      expect(seen).not.toContain(digest); // each change is a new money state
      seen.push(digest);
      expect(verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, ledger: [] });
    };
    check('disbursement.created');
    const lines = [{ category: 'food', amount: 9_000 }];
    updateDisbursement(
      ctx.db,
      actorFor(world.tokyoSupporter),
      id,
      { caseId: 0, paidOn: '2024-06-02', fundId: defaultFundId(ctx.db), method: 'cash', peopleCovered: 1, payee: null, note: null, lines, version: 1 },
      now,
    );
    check('disbursement.updated');
    const approved = submitThroughApp(ctx.db, who());
    expect(digestOfLastEvent(approved)).toBe(readMoneyDigest(ctx.db, approved));
    voidDisbursement(ctx.db, actorFor(world.admin), approved, { expectedVersion: 2, reason: 'entered twice' }, now);
    expect(lastEvent(approved).action).toBe('disbursement.voided');
    expect(digestOfLastEvent(approved)).toBe(readMoneyDigest(ctx.db, approved));
    rejectDisbursement(ctx.db, actorFor(world.admin), id, { expectedVersion: 2, reason: 'no receipt' }, now);
    check('disbursement.rejected');
    const withdrawn = submitThroughApp(ctx.db, who(), { approve: false });
    withdrawDisbursement(ctx.db, actorFor(world.tokyoSupporter), withdrawn, { expectedVersion: 1 }, now);
    expect(lastEvent(withdrawn).action).toBe('disbursement.withdrawn');
    expect(digestOfLastEvent(withdrawn)).toBe(readMoneyDigest(ctx.db, withdrawn));
    expect(verifyAuditTrail(ctx.db)).toMatchObject({ ok: true, disbursements: 3, ledger: [] });
  });
});

describe('the ledger is compared with the trail', () => {
  it('names an approved record in a locked year whose line got ¥1,000,000 more behind the app (trigger dropped)', () => {
    const honest = submitThroughApp(ctx.db, who());
    const target = submitThroughApp(ctx.db, who());
    createPeriodLock(ctx.db, actorFor(world.admin), { startsOn: '2024-04-01', endsOn: '2025-03-31', note: 'FY2024 published' }, '2025-06-15', now);
    const published = computeSummary(ctx.db, actorFor(world.admin), FY2024).total;
    expect(() => sql(`UPDATE disbursement_lines SET amount = amount + 1000000 WHERE disbursement_id = ${target}`)).toThrow(/cannot change/);

    sql('DROP TRIGGER lines_frozen_after_decision_update');
    sql(`UPDATE disbursement_lines SET amount = amount + 1000000 WHERE disbursement_id = ${target} AND position = 0`);
    expect(computeSummary(ctx.db, actorFor(world.admin), FY2024).total).toBe(published + 1_000_000);
    const verdict = verifyAuditTrail(ctx.db);
    expect(verdict.chain.ok).toBe(true); // the events themselves were not touched
    expect(verdict.ok).toBe(false);
    expect(verdict.ledger).toEqual([{ disbursementId: target, problem: 'differs' }]);
    expect(verdict.ledger.map((m) => m.disbursementId)).not.toContain(honest);
  });

  it('finds a figure-copy flipped on a line (no trigger guards it), a status changed, a record inserted and one deleted', () => {
    const rejected = submitThroughApp(ctx.db, who(), { approve: false });
    rejectDisbursement(ctx.db, actorFor(world.admin), rejected, { expectedVersion: 1, reason: 'duplicate' }, now);
    const voidable = submitThroughApp(ctx.db, who());
    const deleted = submitThroughApp(ctx.db, who(), { approve: false });
    expect(verifyAuditTrail(ctx.db).ok).toBe(true);

    // The figures read the lines' copies of status: counting a rejected record needs no dropped trigger.
    sql(`UPDATE disbursement_lines SET status = 'approved' WHERE disbursement_id = ${rejected}`);
    sql('DROP TRIGGER disbursements_transitions');
    sql('DROP TRIGGER lines_follow_parent');
    sql('DROP TRIGGER disbursements_content_frozen');
    sql(`UPDATE disbursements SET status = 'approved' WHERE id = ${voidable}`); // unchanged status: stays clean
    sql(`UPDATE disbursements SET people_covered = 1 WHERE id = ${voidable}`);
    sql('DROP TRIGGER disbursements_never_deleted');
    sql(`DELETE FROM disbursement_lines WHERE disbursement_id = ${deleted}`);
    sql(`DELETE FROM disbursements WHERE id = ${deleted}`);
    const row = ctx.db.$client
      .prepare('SELECT case_id AS caseId, organization_id AS org, fund_id AS fund, submitted_by AS by FROM disbursements WHERE id = ?')
      .get(voidable) as Record<string, number>;
    const inserted = Number(
      ctx.db.$client
        .prepare(
          "INSERT INTO disbursements (case_id, organization_id, paid_on, fund_id, method, people_covered, status, submitted_by) VALUES (?, ?, '2024-06-01', ?, 'cash', 1, 'approved', ?)",
        )
        .run(row.caseId, row.org, row.fund, row.by).lastInsertRowid,
    );
    ctx.db.$client
      .prepare(
        "INSERT INTO disbursement_lines (disbursement_id, position, category_id, amount, status, paid_on, organization_id, fund_id, case_id) SELECT ?, 0, category_id, 500000, 'approved', '2024-06-01', organization_id, fund_id, case_id FROM disbursement_lines WHERE disbursement_id = ? LIMIT 1",
      )
      .run(inserted, voidable);

    expect(verifyAuditTrail(ctx.db).ledger).toEqual(
      [
        { disbursementId: rejected, problem: 'differs' },
        { disbursementId: voidable, problem: 'differs' },
        { disbursementId: deleted, problem: 'missing' },
        { disbursementId: inserted, problem: 'unbound' },
      ].sort((a, b) => a.disbursementId - b.disbursementId),
    );
  });
});

describe('checkpoints', () => {
  const fieldsOf = (id: number) =>
    ctx.db.$client
      .prepare(
        'SELECT id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType, entity_id AS entityId, before, after FROM audit_events WHERE id = ?',
      )
      .get(id) as ChainedFields;

  it('make the newest events deleted with sqlite_sequence rewound visible, which the chain alone cannot see', () => {
    submitThroughApp(ctx.db, who());
    const checkpoint = readCheckpoint(ctx.db.$client, now);
    expect(verifyAuditTrail(ctx.db, { checkpoint })).toMatchObject({ ok: true, checkpoint: { ok: true, seq: checkpoint.seq } });

    // The newest events are period locks, not money: the ledger still agrees after they go.
    for (const month of ['01', '02'])
      createPeriodLock(ctx.db, actorFor(world.admin), { startsOn: `2023-${month}-01`, endsOn: `2023-${month}-02`, note: 'x' }, '2025-06-15', now);
    const head = readCheckpoint(ctx.db.$client, now);
    sql('DROP TRIGGER audit_events_no_delete');
    sql(`DELETE FROM audit_events WHERE id > ${checkpoint.seq}`);
    sql(`UPDATE sqlite_sequence SET seq = ${checkpoint.seq} WHERE name = 'audit_events'`);
    expect(verifyAuditChain(ctx.db).ok).toBe(true); // the attack the chain alone misses
    expect(verifyAuditTrail(ctx.db, { checkpoint: head })).toMatchObject({ ok: false, checkpoint: { ok: false, seq: head.seq, problem: 'shorter' } });
  });

  it('find a head rewritten by someone who holds the key (diverged)', () => {
    submitThroughApp(ctx.db, who());
    const checkpoint = readCheckpoint(ctx.db.$client, now);
    const head = fieldsOf(checkpoint.seq);
    sql('DROP TRIGGER audit_events_no_update');
    const prev = ctx.db.$client.prepare('SELECT prev_hash FROM audit_events WHERE id = ?').pluck().get(head.id) as string;
    const forged = { ...head, occurredAt: '2025-06-15T04:00:00.000Z' };
    ctx.db.$client
      .prepare('UPDATE audit_events SET occurred_at = ?, hash = ? WHERE id = ?')
      .run(forged.occurredAt, macAuditEvent(ctx.db, prev, forged), head.id);
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
    expect(verifyAuditTrail(ctx.db, { checkpoint })).toMatchObject({ ok: false, checkpoint: { ok: false, problem: 'diverged' } });
  });

  it('travel as one line and are read back from a pasted e-mail', () => {
    const checkpoint = { seq: 42, mac: 'ab'.repeat(32), at: '2026-12-01T11:00:00.000Z' };
    const line = formatCheckpoint(checkpoint);
    expect(line).not.toContain('\n');
    expect(parseCheckpoint(`> Monthly checkpoint\n> ${line}\n-- \nauditor`)).toEqual(checkpoint);
    expect(() => parseCheckpoint('{"auditCheckpoint":1,"seq":"x","mac":"00"}')).toThrow(/seq/);
    expect(() => parseCheckpoint('hello')).toThrow(/not an audit checkpoint/);
  });
});
