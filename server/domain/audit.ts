import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { desc, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { auditEvents } from '../../db/schema.js';
import { AuditKeyMissing } from './audit-key.js';
import { readMoneyDigest } from './money-digest.js';

export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
export type AuditFields = Record<string, AuditValue>;

export interface AuditEventInput {
  /** Stable event name: 'disbursement.approved', 'user.login_failed' … */
  action: string;
  actorUserId: number | null;
  entityType: string;
  entityId?: string | number | null;
  /** Allow-listed fields only: never tokens, hashes, or identifying case fields in clear. */
  before?: AuditFields | null;
  after?: AuditFields | null;
  at: Date;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: keys sorted, so the same content always hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export interface ChainedFields {
  id: number;
  occurredAt: string;
  actorUserId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: string | null;
  after: string | null;
}

/** What the MAC covers: the previous link and this event's content, canonically. */
export function chainMessage(prevHash: string, e: ChainedFields): string {
  return `${prevHash}\n${canonical(e)}`;
}

/** The first release's unkeyed SHA-256 link: only the one-time re-key (audit-rekey.ts) still reads it. */
export function legacyHashAuditEvent(prevHash: string, e: ChainedFields): string {
  return createHash('sha256').update(chainMessage(prevHash, e)).digest('hex');
}

const isMissingKey = (error: unknown) => error instanceof Error && /no such function: audit_mac/.test(error.message);

/** The keyed link, computed by the connection's audit_mac (see audit-key.ts). */
export function macAuditEvent(tx: Tx, prevHash: string, e: ChainedFields): string {
  try {
    return tx.get<{ mac: string }>(sql`SELECT audit_mac(${chainMessage(prevHash, e)}) AS mac`)!.mac;
  } catch (error) {
    throw isMissingKey(error) ? new AuditKeyMissing() : error;
  }
}

/** The payload field that binds a disbursement event to the record's money state (SPEC §10). */
export const MONEY_DIGEST_FIELD = 'moneyDigest';

/**
 * Append one event to the chain, inside the caller's transaction (SPEC §7). A disbursement's
 * event carries the digest of its money state as the ledger holds it after the change, so no
 * writer can forget it and verification can compare the ledger with the trail.
 */
export function recordAudit(tx: Tx, input: AuditEventInput): void {
  const isMoney = input.entityType === 'disbursement' && /^\d+$/.test(String(input.entityId ?? ''));
  const after = isMoney ? { ...(input.after ?? {}), [MONEY_DIGEST_FIELD]: readMoneyDigest(tx, Number(input.entityId)) } : input.after;
  const last = tx.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1).get();
  // Never reuse the id of a deleted newest event: the gap it leaves must stay visible to verification.
  const fields: ChainedFields = {
    id: Math.max(last?.id ?? 0, highestIssuedId(tx)) + 1,
    occurredAt: input.at.toISOString(),
    actorUserId: input.actorUserId,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    before: input.before ? canonical(input.before) : null,
    after: after ? canonical(after) : null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  tx.insert(auditEvents)
    .values({ ...fields, prevHash, hash: macAuditEvent(tx, prevHash, fields) })
    .run();
}

/** The highest id SQLite ever handed out for audit_events (AUTOINCREMENT keeps it in sqlite_sequence). */
export function highestIssuedId(tx: Tx | Db): number {
  const row = tx.get<{ seq: number } | undefined>(sql`SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'`);
  return row?.seq ?? 0;
}

export type ChainVerdict =
  { ok: true; count: number } | { ok: false; count: number; firstBadId: number; reason: 'altered' | 'broken_link' | 'gap' | 'truncated' };

/** Walk the whole chain in id order; the first event whose MAC or link does not hold is named. */
export function verifyAuditChain(db: Db): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  let macOf: Database.Statement<[string], string>;
  try {
    macOf = db.$client.prepare<[string], string>('SELECT audit_mac(?)').pluck();
  } catch (error) {
    throw isMissingKey(error) ? new AuditKeyMissing() : error;
  }
  const rows = db.$client
    .prepare(
      `SELECT id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType,
              entity_id AS entityId, before, after, prev_hash AS prevHash, hash
       FROM audit_events ORDER BY id`,
    )
    .iterate() as IterableIterator<ChainedFields & { prevHash: string; hash: string }>;
  for (const row of rows) {
    count += 1;
    if (row.id !== expectedId) return { ok: false, count, firstBadId: row.id, reason: 'gap' };
    if (row.prevHash !== prevHash) return { ok: false, count, firstBadId: row.id, reason: 'broken_link' };
    const { prevHash: _p, hash, ...fields } = row;
    if (macOf.get(chainMessage(prevHash, fields)) !== hash) return { ok: false, count, firstBadId: row.id, reason: 'altered' };
    prevHash = hash;
    expectedId += 1;
  }
  // The newest events deleted: the chain itself still holds, but ids were issued past its end.
  if (highestIssuedId(db) >= expectedId) return { ok: false, count, firstBadId: expectedId, reason: 'truncated' };
  return { ok: true, count };
}
