import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';

/**
 * The money state of one disbursement: everything a published figure reads. Lines carry their
 * copies of the parent's columns too, because the figures aggregate those copies.
 */
export interface MoneyRecord {
  id: number;
  status: string;
  paidOn: string;
  organizationId: number;
  fundId: number;
  caseId: number;
  peopleCovered: number;
  method: string;
}
export interface MoneyLine {
  disbursementId: number;
  categoryId: number;
  amount: number;
  status: string;
  paidOn: string;
  organizationId: number;
  fundId: number;
  caseId: number;
}

const RECORD_COLUMNS = `id, status, paid_on AS paidOn, organization_id AS organizationId, fund_id AS fundId, case_id AS caseId,
  people_covered AS peopleCovered, method FROM disbursements`;
const LINE_COLUMNS = `disbursement_id AS disbursementId, category_id AS categoryId, amount, status, paid_on AS paidOn,
  organization_id AS organizationId, fund_id AS fundId, case_id AS caseId FROM disbursement_lines`;

/**
 * SHA-256 over a canonical serialization: fixed field order, lines sorted (their position is not
 * money). A missing parent row (deleted behind the app's back) is part of the state as null.
 */
export function moneyStateDigest(id: number, record: MoneyRecord | null, lines: readonly MoneyLine[]): string {
  const head =
    record === null ? null : [record.status, record.paidOn, record.organizationId, record.fundId, record.caseId, record.peopleCovered, record.method];
  const body = lines.map((l) => JSON.stringify([l.categoryId, l.amount, l.status, l.paidOn, l.organizationId, l.fundId, l.caseId])).sort();
  const canonical = `["money-v1",${JSON.stringify(id)},${JSON.stringify(head)},[${body.join(',')}]]`;
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The digest of one disbursement as the ledger holds it now (writers call it after their change). */
export function readMoneyDigest(tx: Tx, id: number): string {
  const record = tx.get<MoneyRecord | undefined>(sql`SELECT ${sql.raw(RECORD_COLUMNS)} WHERE id = ${id}`) ?? null;
  const lines = tx.all<MoneyLine>(sql`SELECT ${sql.raw(LINE_COLUMNS)} WHERE disbursement_id = ${id}`);
  return moneyStateDigest(id, record, lines);
}

/** Every disbursement's digest, including ids only orphan lines still name. Two scans, no per-row query. */
export function readAllMoneyDigests(db: Db): Map<number, { digest: string; recordExists: boolean }> {
  const records = new Map<number, MoneyRecord>();
  for (const r of db.$client.prepare(`SELECT ${RECORD_COLUMNS}`).iterate() as IterableIterator<MoneyRecord>) records.set(r.id, r);
  const lines = new Map<number, MoneyLine[]>();
  for (const l of db.$client.prepare(`SELECT ${LINE_COLUMNS}`).iterate() as IterableIterator<MoneyLine>) {
    const list = lines.get(l.disbursementId);
    if (list) list.push(l);
    else lines.set(l.disbursementId, [l]);
  }
  const digests = new Map<number, { digest: string; recordExists: boolean }>();
  for (const id of new Set([...records.keys(), ...lines.keys()])) {
    const record = records.get(id) ?? null;
    digests.set(id, { digest: moneyStateDigest(id, record, lines.get(id) ?? []), recordExists: record !== null });
  }
  return digests;
}
