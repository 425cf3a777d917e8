import { and, desc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { auditEvents, cases, users } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { decryptIdentity, readCaseFor, type CaseDeps, type CaseIdentity, type CaseRecord } from './cases.js';
import { Forbidden, InvalidInput } from './errors.js';
import { normalizeAlias } from './field-crypto.js';

/** Why a coordinator opens a person's identity; 'other' needs words. */
export const REVEAL_REASONS = ['review', 'contact_person', 'duplicate_check', 'person_request', 'other'] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number];

export const REVEAL_ACTION = 'case.identity_revealed';

/** True when the reason repeats a shown value: the reason is kept in the audit trail, identity never. */
function quotesIdentity(text: string, identity: CaseIdentity): boolean {
  const said = normalizeAlias(text).replace(/\s+/g, '');
  return [identity.alias, identity.contact].some((value) => {
    const v = value === null ? '' : normalizeAlias(value).replace(/\s+/g, '');
    return v.length >= 2 && said.includes(v);
  });
}

/**
 * 「本人情報を表示」: the identifying fields of one case, for this response only, with the
 * reason written to the audit trail in the same step. Those who see identity anyway, and those
 * who never may, are refused.
 */
export function revealCaseIdentity(
  db: Db,
  actor: Actor,
  id: number,
  reason: { code: RevealReason; text: string },
  deps: CaseDeps,
): { record: CaseRecord; organizationName: string; identity: CaseIdentity } {
  const { record, organizationName, revealable } = readCaseFor(db, actor, id, deps);
  if (!revealable) throw new Forbidden();
  const identity = decryptIdentity(deps.cipher, record);
  if (quotesIdentity(reason.text, identity)) {
    // The refusal itself says the guess was right, so it is recorded too (without the text).
    writeTransaction(db, (tx) =>
      recordAudit(tx, {
        action: 'case.identity_reveal_refused',
        actorUserId: actor.userId,
        entityType: 'case',
        entityId: id,
        at: deps.clock.now(),
        after: { reason: reason.code },
      }),
    );
    throw new InvalidInput({ reasonText: 'reveal.reasonHasIdentity' });
  }
  const fields = (Object.keys(identity) as (keyof CaseIdentity)[]).filter((f) => identity[f] !== null);
  writeTransaction(db, (tx) =>
    recordAudit(tx, {
      action: REVEAL_ACTION,
      actorUserId: actor.userId,
      entityType: 'case',
      entityId: id,
      at: deps.clock.now(),
      after: { reason: reason.code, reasonText: reason.text, fields },
    }),
  );
  return { record, organizationName, identity };
}

const monthOf = sql<string>`strftime('%Y-%m', ${auditEvents.occurredAt}, '+9 hours')`;

export interface RevealSummaryRow {
  month: string;
  userId: number;
  displayName: string;
  total: number;
  byReason: Partial<Record<RevealReason, number>>;
}

/** Reveals per user per month (Japan time), newest month first, with the count of each reason. */
export function revealSummary(tx: Tx, actor: Actor): RevealSummaryRow[] {
  assertCan(actor, 'identity.revealReport');
  const rows = tx
    .select({
      month: monthOf,
      userId: users.id,
      displayName: users.displayName,
      reason: sql<string>`json_extract(${auditEvents.after}, '$.reason')`,
      n: sql<number>`count(*)`,
    })
    .from(auditEvents)
    .innerJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(eq(auditEvents.action, REVEAL_ACTION))
    .groupBy(monthOf, users.id, sql`json_extract(${auditEvents.after}, '$.reason')`)
    .orderBy(desc(monthOf), users.displayName)
    .all();
  const summary = new Map<string, RevealSummaryRow>();
  for (const row of rows) {
    const key = `${row.month}#${row.userId}`;
    const entry = summary.get(key) ?? { month: row.month, userId: row.userId, displayName: row.displayName, total: 0, byReason: {} };
    entry.total += row.n;
    entry.byReason[row.reason as RevealReason] = (entry.byReason[row.reason as RevealReason] ?? 0) + row.n;
    summary.set(key, entry);
  }
  return [...summary.values()];
}

/** Every reveal of one month: when, who, which case (by code), and the reason as given. */
export function revealsInMonth(tx: Tx, actor: Actor, month: string) {
  assertCan(actor, 'identity.revealReport');
  return tx
    .select({
      occurredAt: auditEvents.occurredAt,
      displayName: users.displayName,
      caseId: cases.id,
      caseCode: cases.code,
      reason: sql<string>`json_extract(${auditEvents.after}, '$.reason')`,
      reasonText: sql<string>`json_extract(${auditEvents.after}, '$.reasonText')`,
    })
    .from(auditEvents)
    .innerJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(cases, eq(sql`CAST(${auditEvents.entityId} AS INTEGER)`, cases.id))
    .where(and(eq(auditEvents.action, REVEAL_ACTION), eq(monthOf, month)))
    .orderBy(desc(auditEvents.id))
    .all();
}
