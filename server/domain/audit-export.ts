import { asc, eq } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { auditEvents, users } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { auditWhere, type AuditFilter } from './audit-trail.js';
import { toCsv, type CsvFile } from './csv-export.js';

const HEADER = ['id', 'occurred_at', 'actor_user_id', 'actor_name', 'actor_role', 'action', 'entity_type', 'entity_id', 'before', 'after', 'prev_hash', 'hash'];

/**
 * /audit.csv: the events as stored, raw codes and UTC times, oldest first, so an auditor can
 * recompute the chain. Payloads were allow-listed when written; cells are formula-neutralized.
 * The export itself is an event, written after the rows are read so it is not in its own file.
 */
export function exportAuditCsv(db: Db, actor: Actor, filter: Omit<AuditFilter, 'page'>, now: Date): CsvFile {
  assertCan(actor, 'audit.read');
  return writeTransaction(db, (tx) => {
    const rows = tx
      .select({ e: auditEvents, name: users.displayName, role: users.role })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorUserId))
      .where(auditWhere(filter))
      .orderBy(asc(auditEvents.id))
      .all();
    const file = toCsv(
      HEADER,
      rows.map(({ e, name, role }) => [
        e.id,
        e.occurredAt,
        e.actorUserId,
        name,
        role,
        e.action,
        e.entityType,
        e.entityId,
        e.before,
        e.after,
        e.prevHash,
        e.hash,
      ]),
    );
    recordAudit(tx, {
      action: 'audit.exported',
      actorUserId: actor.userId,
      entityType: 'audit',
      entityId: 'audit.csv',
      after: {
        from: filter.from ?? null,
        to: filter.to ?? null,
        actorUserId: filter.actorUserId ?? null,
        action: filter.action ?? null,
        entityType: filter.entityType ?? null,
        entityId: filter.entityId ?? null,
        rows: file.rows,
      },
      at: now,
    });
    return file;
  });
}
