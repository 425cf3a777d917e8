import type { Db } from '../../db/client.js';
import { createFieldCipher, FieldDecryptError } from './field-crypto.js';

const COLUMNS = ['alias_enc', 'contact_enc', 'notes_enc'] as const;

/**
 * Does this key open the database's encrypted fields? One stored value is enough to tell: a wrong
 * key fails authentication. A database with no encrypted value yet cannot say.
 */
export function checkKeyAgainstDatabase(db: Db, dataKey: Buffer): 'match' | 'mismatch' | 'nothing-to-check' {
  const cipher = createFieldCipher(dataKey);
  for (const column of COLUMNS) {
    const row = db.$client.prepare(`SELECT id, ${column} AS value FROM cases WHERE ${column} IS NOT NULL LIMIT 1`).get() as
      { id: number; value: string } | undefined;
    if (!row) continue;
    try {
      cipher.decrypt(row.value, { table: 'cases', column, rowId: row.id });
      return 'match';
    } catch (error) {
      if (error instanceof FieldDecryptError) return 'mismatch';
      throw error;
    }
  }
  return 'nothing-to-check';
}
