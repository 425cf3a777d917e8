import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../server/domain/errors.js';
import { createImportRunner } from '../../server/domain/imports/import-pool.js';
import { openScratchDb } from '../helpers/scratch-db.js';

let db: Db;
let dataKey: Buffer;
let close: () => void;

beforeEach(() => {
  ({
    db,
    config: { dataKey },
    close,
  } = openScratchDb());
});
afterEach(() => close());

describe('the import thread’s heap ceiling', () => {
  it('answers a job that outgrows the heap as a request too large, not a crash', async () => {
    // A ceiling far below what reading any file needs: the thread runs out of memory.
    const runner = createImportRunner(db, dataKey, [], { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 });
    const bytes = new TextEncoder().encode('日付,金額\n' + '2025-07-01,1000\n'.repeat(2000));
    try {
      const failure = await runner.run({ kind: 'parse', bytes, fileName: 'big.csv', sheet: null }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(DomainError);
      expect((failure as DomainError).messageKey).toBe('errors.tooLarge');
    } finally {
      await runner.close();
    }
  }, 120_000);

  it('reads the same file with the app’s own ceiling', async () => {
    const runner = createImportRunner(db, dataKey);
    const bytes = new TextEncoder().encode('日付,金額\n' + '2025-07-01,1000\n'.repeat(2000));
    try {
      const read = await runner.run({ kind: 'parse', bytes, fileName: 'big.csv', sheet: null });
      expect(read.ok && read.table.rows.length).toBe(2000);
    } finally {
      await runner.close();
    }
  }, 120_000);
});
