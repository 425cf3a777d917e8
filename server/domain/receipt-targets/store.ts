/**
 * Where receipt files are copied to (the replica) or from (a restore). Names are the random
 * storage names the receipts table holds, nothing else; a missing object is null, not an error.
 */
export interface ReceiptStore {
  put(name: string, bytes: Buffer): Promise<void>;
  get(name: string): Promise<Buffer | null>;
  delete(name: string): Promise<void>;
  /** Ends a connection if one was opened (SFTP); the store may not be used afterwards. */
  close(): Promise<void>;
}

/** An error that names the operation and the answer, never the object (nor anything else). */
export class ReceiptStoreError extends Error {}
