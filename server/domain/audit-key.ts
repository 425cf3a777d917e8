import { createHmac, hkdfSync } from 'node:crypto';
import type { Db } from '../../db/client.js';

/** The SQL function the chain is computed with: registered per connection, never stored. */
export const AUDIT_MAC_FUNCTION = 'audit_mac';

/**
 * The chain key is derived from DATA_KEY (HKDF-SHA256, its own label), so it lives only where
 * DATA_KEY does: whoever holds just the database file cannot re-hash a rewritten trail.
 */
export function deriveAuditKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'kinkyu-shien audit-chain-v1', 32));
}

export function auditMac(chainKey: Buffer, message: string): string {
  return createHmac('sha256', chainKey).update(message, 'utf8').digest('hex');
}

/**
 * Give this connection the keyed MAC as `audit_mac(text)`. Every connection that appends or
 * verifies events needs it; one without it fails loudly instead of writing an unkeyed event.
 * `directOnly` keeps it out of triggers and views a file could smuggle in.
 */
export function bindAuditKey(db: Db, dataKey: Buffer): Db {
  const chainKey = deriveAuditKey(dataKey);
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
