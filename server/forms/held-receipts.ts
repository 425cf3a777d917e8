import { isHeldToken } from '../domain/held-receipts.js';
import { MAX_RECEIPTS } from '../domain/receipts.js';

/**
 * The held-receipt fields of a disbursement form: `heldReceipt` (tokens to keep) and `dropReceipt`
 * (tokens the user removed with 「削除」). Anything not shaped like a token is ignored.
 */
export function parseHeldReceipts(body: unknown): { keep: string[]; drop: string[] } {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const list = (value: unknown) => [value].flat().filter(isHeldToken).slice(0, MAX_RECEIPTS);
  const drop = list(fields.dropReceipt);
  return { keep: list(fields.heldReceipt).filter((t) => !drop.includes(t)), drop };
}
