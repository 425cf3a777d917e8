import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { organizations } from '../../db/schema.js';
import { recordAudit } from './audit.js';
import { InvalidInput } from './errors.js';

export interface NewOrganization {
  code: string;
  name: string;
  prefecture: string | null;
}

export const ORG_CODE_PATTERN = /^[A-Z]{2,6}$/;

export function findOrganizationByCode(tx: Tx, code: string) {
  return tx.select().from(organizations).where(eq(organizations.code, code)).get();
}

export function listOrganizations(tx: Tx) {
  return tx.select().from(organizations).orderBy(asc(organizations.code)).all();
}

/** Call inside a write transaction: the organization and its audit event land together. */
export function createOrganization(tx: Tx, actorUserId: number | null, input: NewOrganization, now: Date): number {
  if (!ORG_CODE_PATTERN.test(input.code)) throw new InvalidInput({ code: 'admin.orgs.codeFormat' });
  if (findOrganizationByCode(tx, input.code)) throw new InvalidInput({ code: 'admin.orgs.codeTaken' });
  const row = tx.insert(organizations).values(input).returning().get();
  recordAudit(tx, {
    action: 'organization.created',
    actorUserId,
    entityType: 'organization',
    entityId: row.id,
    after: { code: row.code, name: row.name, prefecture: row.prefecture, isActive: row.isActive },
    at: now,
  });
  return row.id;
}
