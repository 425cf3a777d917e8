import { eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { casePurges, cases, retentionPolicies } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { decryptIdentity, findCaseFor, type CaseDeps } from './cases.js';
import { todayInTokyo } from './dates.js';
import { InvalidInput } from './errors.js';
import { DEFAULT_RECEIPT_YEARS } from './receipt-retention.js';
import { normalizeAlias } from './field-crypto.js';

/** Years a closed case keeps its identity when its organization set nothing (APPI: no longer than needed). */
export const DEFAULT_IDENTITY_YEARS = 3;
const BATCH = 100;

export function retentionYearsFor(tx: Tx, organizationId: number): number {
  return tx.select().from(retentionPolicies).where(eq(retentionPolicies.organizationId, organizationId)).get()?.identityYears ?? DEFAULT_IDENTITY_YEARS;
}

export function receiptYearsFor(tx: Tx, organizationId: number): number {
  return tx.select().from(retentionPolicies).where(eq(retentionPolicies.organizationId, organizationId)).get()?.receiptYears ?? DEFAULT_RECEIPT_YEARS;
}

/** Both periods at once (one form, one audit event); receipts never below the bookkeeping duty of 7 years. */
export function setRetentionYears(db: Db, actor: Actor, organizationId: number, policy: { identityYears: number; receiptYears: number }, now: Date): void {
  assertCan(actor, 'admin.manage');
  const { identityYears, receiptYears } = policy;
  if (!Number.isInteger(identityYears) || identityYears < 1 || identityYears > 50) throw new InvalidInput({ identityYears: 'validation.invalid' });
  if (!Number.isInteger(receiptYears) || receiptYears < 7 || receiptYears > 50) throw new InvalidInput({ receiptYears: 'validation.invalid' });
  writeTransaction(db, (tx) => {
    const before = { identityYears: retentionYearsFor(tx, organizationId), receiptYears: receiptYearsFor(tx, organizationId) };
    tx.insert(retentionPolicies)
      .values({ organizationId, identityYears, receiptYears })
      .onConflictDoUpdate({ target: retentionPolicies.organizationId, set: { identityYears, receiptYears } })
      .run();
    recordAudit(tx, {
      action: 'retention.updated',
      actorUserId: actor.userId,
      entityType: 'organization',
      entityId: organizationId,
      before,
      after: { identityYears, receiptYears },
      at: now,
    });
  });
}

/**
 * Erase one case's identity: ciphertexts and blind index set to NULL with SQLite's secure_delete
 * on, so the freed bytes are zeroed in the page rather than left behind. Profile, money and code
 * stay, so every figure is unchanged. The audit event keeps the fact, never the data.
 */
function eraseIdentity(tx: Tx, caseId: number, kind: 'retention' | 'request', actorUserId: number | null, now: Date, extra: Record<string, string> = {}): void {
  const had = tx.select({ a: cases.aliasEnc, c: cases.contactEnc, n: cases.notesEnc }).from(cases).where(eq(cases.id, caseId)).get();
  const fields = had ? (['alias', 'contact', 'notes'] as const).filter((_, i) => [had.a, had.c, had.n][i] !== null) : [];
  tx.update(cases).set({ aliasEnc: null, contactEnc: null, notesEnc: null, aliasIndex: null }).where(eq(cases.id, caseId)).run();
  tx.insert(casePurges).values({ caseId, purgedAt: now.toISOString(), kind, purgedBy: actorUserId }).onConflictDoNothing().run();
  recordAudit(tx, {
    action: 'case.identity_purged',
    actorUserId,
    entityType: 'case',
    entityId: caseId,
    after: { kind, fields: [...fields], ...extra },
    at: now,
  });
}

/** Give the erased bytes no second life in the WAL or in free pages. Skipped when the database is busy. */
function compact(db: Db): void {
  try {
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.exec('VACUUM');
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A reader held the database: the next run compacts. secure_delete already zeroed the cells.
  }
}

/**
 * The daily job: every closed case past its organization's retention loses its identity.
 * Batches commit one by one, so a crash resumes where it stopped; a purged case is never
 * purged twice (case_purges), so running it again changes nothing.
 */
export function purgeExpiredIdentity(db: Db, now: Date): { purged: number } {
  db.$client.pragma('secure_delete = ON');
  const today = todayInTokyo({ now: () => now });
  let purged = 0;
  for (;;) {
    const batch = db.all<{ id: number }>(sql`
      SELECT c.id FROM cases c LEFT JOIN retention_policies r ON r.organization_id = c.organization_id
      WHERE c.status = 'closed' AND c.closed_on IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM case_purges p WHERE p.case_id = c.id)
        AND c.closed_on <= date(${today}, '-' || coalesce(r.identity_years, ${DEFAULT_IDENTITY_YEARS}) || ' years')
      ORDER BY c.id LIMIT ${BATCH}`);
    if (batch.length === 0) break;
    writeTransaction(db, (tx) => {
      for (const row of batch) eraseIdentity(tx, row.id, 'retention', null, now);
    });
    purged += batch.length;
  }
  if (purged > 0) compact(db);
  return { purged };
}

/** A person asks to be forgotten: a coordinator erases their identity now, with a reason. */
export function purgeCaseIdentity(db: Db, actor: Actor, caseId: number, reason: string, deps: CaseDeps): void {
  assertCan(actor, 'case.purgeIdentity');
  db.$client.pragma('secure_delete = ON');
  writeTransaction(db, (tx) => {
    const record = findCaseFor(tx, actor, caseId);
    const identity = decryptIdentity(deps.cipher, record);
    const said = normalizeAlias(reason);
    if ([identity.alias, identity.contact].some((v) => v !== null && normalizeAlias(v).length >= 2 && said.includes(normalizeAlias(v)))) {
      throw new InvalidInput({ purgeReason: 'reveal.reasonHasIdentity' });
    }
    eraseIdentity(tx, record.id, 'request', actor.userId, deps.clock.now(), { reason });
  });
  compact(db);
}
