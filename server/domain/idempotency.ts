import { createHash, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema.js';
import { Conflict, InvalidInput } from './errors.js';

/** The one-time key a create form carries in its hidden `idempotencyKey` field (SPEC §7). */
export function newFormKey(): string {
  return randomBytes(16).toString('base64url');
}

export const FORM_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

export function requestFingerprint(payload: unknown): string {
  return createHash('sha256').update(canonical(payload)).digest('hex');
}

/**
 * Run `create` at most once per form key. Call inside the write transaction that creates the
 * record: a repeat of the same key and content answers the first result's location; the same key
 * with other content is refused (409). Concurrent repeats serialize on BEGIN IMMEDIATE.
 */
export function onceForKey(
  tx: Tx,
  input: { key: string; userId: number; payload: unknown; now: Date },
  create: () => string,
): { location: string; replayed: boolean } {
  if (!FORM_KEY_PATTERN.test(input.key)) throw new InvalidInput({ idempotencyKey: 'validation.invalid' });
  const fingerprint = requestFingerprint(input.payload);
  const existing = tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, input.key)).get();
  if (existing) {
    if (existing.userId !== input.userId || existing.requestHash !== fingerprint) throw new Conflict('errors.idempotencyMismatch');
    return { location: existing.responseLocation, replayed: true };
  }
  const location = create();
  tx.insert(idempotencyKeys)
    .values({ key: input.key, userId: input.userId, requestHash: fingerprint, responseLocation: location, createdAt: input.now.getTime() })
    .run();
  return { location, replayed: false };
}

/** Whether a key was already used by this user (a re-rendered form gets a fresh key otherwise). */
export function isKeyUsed(tx: Tx, key: string, userId: number): boolean {
  return (
    tx
      .select({ k: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.userId, userId)))
      .get() !== undefined
  );
}
