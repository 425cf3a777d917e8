import { desc } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { auditEvents } from '../../db/schema.js';
import { canonical, chainMessage, GENESIS_HASH, highestIssuedId, MONEY_DIGEST_FIELD, type AuditEventInput, type ChainedFields } from './audit.js';
import { AuditKeyMissing } from './audit-key.js';
import { clientOf, prepared } from './figures/sql.js';
import { moneyStateDigest, type MoneyLine, type MoneyRecord } from './money-digest.js';

/**
 * Many events appended in one go, inside the caller's transaction: the same chain, MACs and money
 * digests as recordAudit called once per event, without re-reading the chain's head and building
 * the same queries each time (an import of 50,000 records spent most of its commit there).
 */
export function recordAuditMany(tx: Tx, inputs: readonly AuditEventInput[]): void {
  if (inputs.length === 0) return;
  const client = clientOf(tx);
  const record = prepared(
    client,
    `SELECT id, status, paid_on AS paidOn, organization_id AS organizationId, fund_id AS fundId, case_id AS caseId,
    people_covered AS peopleCovered, method FROM disbursements WHERE id = ?`,
  );
  const lines = prepared(
    client,
    `SELECT disbursement_id AS disbursementId, category_id AS categoryId, amount, status, paid_on AS paidOn,
    organization_id AS organizationId, fund_id AS fundId, case_id AS caseId FROM disbursement_lines WHERE disbursement_id = ?`,
  );
  let mac;
  try {
    mac = prepared(client, 'SELECT audit_mac(?) AS mac');
  } catch (error) {
    if (error instanceof Error && /no such function: audit_mac/.test(error.message)) throw new AuditKeyMissing();
    throw error;
  }
  const insert = prepared(
    client,
    `INSERT INTO audit_events (id, occurred_at, actor_user_id, action, entity_type, entity_id, before, after, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const last = tx.select({ id: auditEvents.id, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1).get();
  let id = Math.max(last?.id ?? 0, highestIssuedId(tx));
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (const input of inputs) {
    const entityId = input.entityId === undefined || input.entityId === null ? null : String(input.entityId);
    const isMoney = input.entityType === 'disbursement' && /^\d+$/.test(entityId ?? '');
    let after = input.after;
    if (isMoney) {
      const n = Number(entityId);
      const digest = moneyStateDigest(n, (record.get(n) as MoneyRecord | undefined) ?? null, lines.all(n) as MoneyLine[]);
      after = { ...(input.after ?? {}), [MONEY_DIGEST_FIELD]: digest };
    }
    id += 1;
    const fields: ChainedFields = {
      id,
      occurredAt: input.at.toISOString(),
      actorUserId: input.actorUserId,
      action: input.action,
      entityType: input.entityType,
      entityId,
      before: input.before ? canonical(input.before) : null,
      after: after ? canonical(after) : null,
    };
    const hash = (mac.get(chainMessage(prevHash, fields)) as { mac: string }).mac;
    insert.run(
      fields.id,
      fields.occurredAt,
      fields.actorUserId,
      fields.action,
      fields.entityType,
      fields.entityId,
      fields.before,
      fields.after,
      prevHash,
      hash,
    );
    prevHash = hash;
  }
}
