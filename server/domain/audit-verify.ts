import type { Db } from '../../db/client.js';
import { MONEY_DIGEST_FIELD, verifyAuditChain, type ChainVerdict } from './audit.js';
import { compareWithCheckpoint, type AuditCheckpoint, type CheckpointVerdict } from './audit-checkpoint.js';
import { readAllMoneyDigests } from './money-digest.js';

/**
 * A disbursement whose ledger does not match its last audit event: `differs` (edited outside the
 * app), `missing` (the row is gone), `unbound` (money in the ledger that no event vouches for).
 */
export interface LedgerMismatch {
  disbursementId: number;
  problem: 'differs' | 'missing' | 'unbound';
}

export interface TrailVerdict {
  ok: boolean;
  chain: ChainVerdict;
  /** How many disbursements were compared with the trail. */
  disbursements: number;
  ledger: LedgerMismatch[];
  checkpoint: CheckpointVerdict | null;
}

/** The last digest each disbursement's events vouch for. A payload that is not JSON vouches for nothing. */
function lastDigests(db: Db): Map<number, string> {
  const rows = db.$client
    .prepare(
      `SELECT entity_id AS entityId, json_extract(after, '$.${MONEY_DIGEST_FIELD}') AS digest FROM audit_events
       WHERE id IN (
         SELECT max(id) FROM audit_events
         WHERE entity_type = 'disbursement'
           AND (CASE WHEN json_valid(after) THEN json_extract(after, '$.${MONEY_DIGEST_FIELD}') END) IS NOT NULL
         GROUP BY entity_id)`,
    )
    .all() as { entityId: string; digest: unknown }[];
  const digests = new Map<number, string>();
  for (const r of rows) if (/^\d+$/.test(r.entityId)) digests.set(Number(r.entityId), String(r.digest));
  return digests;
}

/** Every disbursement in the ledger compared with what the trail last recorded for it. */
export function compareLedgerWithTrail(db: Db): { compared: number; mismatches: LedgerMismatch[] } {
  const recorded = lastDigests(db);
  const actual = readAllMoneyDigests(db);
  const mismatches: LedgerMismatch[] = [];
  for (const id of new Set([...recorded.keys(), ...actual.keys()])) {
    const expected = recorded.get(id);
    const now = actual.get(id);
    if (expected === undefined) mismatches.push({ disbursementId: id, problem: 'unbound' });
    else if (now === undefined || !now.recordExists) mismatches.push({ disbursementId: id, problem: 'missing' });
    else if (now.digest !== expected) mismatches.push({ disbursementId: id, problem: 'differs' });
  }
  mismatches.sort((a, b) => a.disbursementId - b.disbursementId);
  return { compared: actual.size, mismatches };
}

/**
 * The one verification (SPEC §7, §10): `npm run audit:verify`, the /audit page and the backup
 * check all call it. The chain's MACs and links, the ledger against the trail, and, when given,
 * a checkpoint kept elsewhere that the chain must still reach.
 */
export function verifyAuditTrail(db: Db, options: { checkpoint?: AuditCheckpoint | null } = {}): TrailVerdict {
  const chain = verifyAuditChain(db);
  const { compared, mismatches } = compareLedgerWithTrail(db);
  const checkpoint = options.checkpoint ? compareWithCheckpoint(db.$client, options.checkpoint) : null;
  return { ok: chain.ok && mismatches.length === 0 && (checkpoint?.ok ?? true), chain, disbursements: compared, ledger: mismatches, checkpoint };
}

const LEDGER_PROBLEM: Record<LedgerMismatch['problem'], string> = {
  differs: 'its ledger state differs from its last audit event (changed outside the app)',
  missing: 'its audit events vouch for a record the ledger no longer holds (deleted outside the app)',
  unbound: 'it is in the ledger but no audit event vouches for its money state (written outside the app)',
};

/** The verdict as plain sentences for operators (scripts, backup checks); empty when all holds. */
export function describeTrailProblems(verdict: TrailVerdict): string[] {
  const problems: string[] = [];
  const { chain, checkpoint } = verdict;
  if (!chain.ok) problems.push(`audit chain broken at event ${chain.firstBadId} (${chain.reason})`);
  for (const m of verdict.ledger) problems.push(`disbursement #${m.disbursementId}: ${LEDGER_PROBLEM[m.problem]}`);
  if (checkpoint && !checkpoint.ok) {
    problems.push(
      checkpoint.problem === 'shorter'
        ? `checkpoint at event ${checkpoint.seq} not reached: the chain is shorter than it was (newest events deleted)`
        : `checkpoint at event ${checkpoint.seq} diverges: that event's MAC is not the one recorded (the chain was rewritten)`,
    );
  }
  return problems;
}
