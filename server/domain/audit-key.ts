import { createHmac, hkdfSync } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { chainMessage, type ChainedFields } from './audit.js';
import { createFieldCipher } from './field-crypto.js';

/** The SQL function the chain is computed with: registered per connection, never stored. */
export const AUDIT_MAC_FUNCTION = 'audit_mac';

/**
 * The chain key starts as HKDF-SHA256 of DATA_KEY (its own label), so it lives only where DATA_KEY
 * does: whoever holds just the database file cannot re-hash a rewritten trail.
 */
export function deriveAuditKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'kinkyu-shien audit-chain-v1', 32));
}

export function auditMac(chainKey: Buffer, message: string): string {
  return createHmac('sha256', chainKey).update(message, 'utf8').digest('hex');
}

export const AUDIT_KEY_PURPOSE = 'audit-chain';
const sealedPlace = { table: 'wrapped_keys', column: AUDIT_KEY_PURPOSE, rowId: 0 };

const hasTable = (db: Db, name: string) => db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) !== undefined;

/**
 * The chain key must not change when DATA_KEY does, or every old event stops verifying. It is
 * derived once from the DATA_KEY in use when the trail began; from the first keys:rotate on it is
 * kept sealed under DATA_KEY in wrapped_keys (re-sealed by each rotation). Before that row exists,
 * the candidate (DATA_KEY, then each DATA_KEY_PREVIOUS) whose MAC fits the newest event is the key.
 */
export function resolveAuditKey(db: Db, dataKey: Buffer, previousKeys: readonly Buffer[] = []): Buffer {
  if (hasTable(db, 'wrapped_keys')) {
    const sealed = db.$client.prepare('SELECT sealed FROM wrapped_keys WHERE purpose = ?').pluck().get(AUDIT_KEY_PURPOSE) as string | undefined;
    // A wrong key throws here (FieldDecryptError): better than appending events nobody can verify.
    if (sealed !== undefined) return Buffer.from(createFieldCipher(dataKey, previousKeys).decrypt(sealed, sealedPlace), 'base64');
  }
  const candidates = [dataKey, ...previousKeys].map(deriveAuditKey);
  if (!hasTable(db, 'audit_events')) return candidates[0]!;
  const head = db.$client
    .prepare(
      `SELECT id, occurred_at AS occurredAt, actor_user_id AS actorUserId, action, entity_type AS entityType,
              entity_id AS entityId, before, after, prev_hash AS prevHash, hash FROM audit_events ORDER BY id DESC LIMIT 1`,
    )
    .get() as (ChainedFields & { prevHash: string; hash: string }) | undefined;
  if (!head) return candidates[0]!;
  const { prevHash, hash, ...fields } = head;
  return candidates.find((key) => auditMac(key, chainMessage(prevHash, fields)) === hash) ?? candidates[0]!;
}

/** The chain key sealed under the cipher's current DATA_KEY, as wrapped_keys stores it. */
export function sealAuditKey(cipher: ReturnType<typeof createFieldCipher>, chainKey: Buffer): string {
  return cipher.encrypt(chainKey.toString('base64'), sealedPlace);
}

/** True when the stored seal already opens with the current DATA_KEY (a rotation reached it). */
export function isAuditKeySealCurrent(cipher: ReturnType<typeof createFieldCipher>, sealed: string): boolean {
  return cipher.isCurrent(sealed, sealedPlace);
}

/**
 * Give this connection the keyed MAC as `audit_mac(text)`. Every connection that appends or
 * verifies events needs it; one without it fails loudly instead of writing an unkeyed event.
 * `directOnly` keeps it out of triggers and views a file could smuggle in.
 */
export function bindAuditKey(db: Db, dataKey: Buffer, previousKeys: readonly Buffer[] = []): Db {
  const chainKey = resolveAuditKey(db, dataKey, previousKeys);
  db.$client.function(AUDIT_MAC_FUNCTION, { deterministic: true, directOnly: true }, (message: unknown) => {
    if (typeof message !== 'string') throw new TypeError('audit_mac takes text');
    return auditMac(chainKey, message);
  });
  return db;
}

export class AuditKeyMissing extends Error {
  constructor() {
    super('this database connection has no audit key: call bindAuditKey(db, config.dataKey) after opening it');
    this.name = 'AuditKeyMissing';
  }
}
