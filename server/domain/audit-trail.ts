import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { auditEvents, disbursements, users } from '../../db/schema.js';
import { assertCan, can, type Actor } from './actor.js';
import { verifyAuditTrail, type LedgerMismatch, type TrailVerdict } from './audit-verify.js';
import { tokyoDayEnd, tokyoDayStart } from './dates.js';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
  /** Tokyo calendar dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  actorUserId?: number | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  page: number;
}

/**
 * Field names that would identify a person or open an account. Payloads are allow-listed when
 * written, so these should never appear; if one ever does, the page shows a mask, not the value.
 */
const MASKED_FIELDS = new Set([
  'alias',
  'contact',
  'notes',
  'aliasenc',
  'contactenc',
  'notesenc',
  'aliasindex',
  'password',
  'passwordhash',
  'token',
  'sessionid',
]);
export const MASK = '[encrypted]';

export interface AuditEntry {
  id: number;
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: string | null;
  actorUserId: number | null;
  actorName: string | null;
  before: [string, string][] | null;
  after: [string, string][] | null;
}

/** A stored JSON payload as key/value rows for a small table; nested values as compact JSON. */
export function payloadRows(json: string | null): [string, string][] | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [['?', json]];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [['', JSON.stringify(value)]];
  return Object.entries(value as Record<string, unknown>).map(([key, v]) => {
    if (MASKED_FIELDS.has(key.toLowerCase()) && v !== null && v !== MASK) return [key, MASK];
    return [key, typeof v === 'string' ? v : JSON.stringify(v)];
  });
}

/** The filter as a WHERE clause: the page and the CSV select the same events. */
export function auditWhere(filter: Omit<AuditFilter, 'page'>) {
  return and(
    filter.from ? gte(auditEvents.occurredAt, tokyoDayStart(filter.from)) : undefined,
    filter.to ? lt(auditEvents.occurredAt, tokyoDayEnd(filter.to)) : undefined,
    filter.actorUserId !== undefined ? eq(auditEvents.actorUserId, filter.actorUserId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.entityType ? eq(auditEvents.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditEvents.entityId, filter.entityId) : undefined,
  );
}

/** The trail, newest first (SPEC §7): coordinators and auditors read it. */
export function listAuditEvents(tx: Tx, actor: Actor, filter: AuditFilter) {
  assertCan(actor, 'audit.read');
  const where = auditWhere(filter);
  const total =
    tx
      .select({ n: sql<number>`count(*)` })
      .from(auditEvents)
      .where(where)
      .get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pageCount);
  const rows = tx
    .select({ event: auditEvents, actorName: users.displayName })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .all();
  const entries: AuditEntry[] = rows.map(({ event, actorName }) => ({
    id: event.id,
    occurredAt: event.occurredAt,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    actorUserId: event.actorUserId,
    actorName,
    before: payloadRows(event.before),
    after: payloadRows(event.after),
  }));
  return { entries, total, page, pageCount };
}

/** The choices of the filter form: every actor, action and entity type the trail holds. */
export function listAuditFilterOptions(tx: Tx) {
  return {
    actors: tx.select({ id: users.id, name: users.displayName, role: users.role }).from(users).orderBy(asc(users.displayName)).all(),
    actions: tx
      .selectDistinct({ action: auditEvents.action })
      .from(auditEvents)
      .orderBy(asc(auditEvents.action))
      .all()
      .map((r) => r.action),
    entityTypes: tx
      .selectDistinct({ entityType: auditEvents.entityType })
      .from(auditEvents)
      .orderBy(asc(auditEvents.entityType))
      .all()
      .map((r) => r.entityType),
  };
}

/** How many ledger mismatches the page lists; the script lists them all. */
export const LEDGER_LIST_LIMIT = 100;

export interface PageVerdict extends Omit<TrailVerdict, 'ledger'> {
  /** The first mismatches, each with a link when this viewer may open the record. */
  ledger: (LedgerMismatch & { href: string | null })[];
  ledgerTotal: number;
}

/** The banner: the same verification `npm run audit:verify` runs (chain and ledger). */
export function verifyTrailFor(db: Db, actor: Actor): PageVerdict {
  assertCan(actor, 'audit.verify');
  const verdict = verifyAuditTrail(db);
  const shown = verdict.ledger.slice(0, LEDGER_LIST_LIMIT);
  const owners = new Map(
    shown.length === 0
      ? []
      : db
          .select({ id: disbursements.id, organizationId: disbursements.organizationId })
          .from(disbursements)
          .where(
            inArray(
              disbursements.id,
              shown.map((m) => m.disbursementId),
            ),
          )
          .all()
          .map((r) => [r.id, r.organizationId] as const),
  );
  const ledger = shown.map((m) => {
    const organizationId = owners.get(m.disbursementId);
    const visible = organizationId !== undefined && can(actor, 'disbursement.read', { organizationId });
    return { ...m, href: visible ? `/disbursements/${m.disbursementId}` : null };
  });
  return { ...verdict, ledger, ledgerTotal: verdict.ledger.length };
}
