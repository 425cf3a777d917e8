import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/client.js';
import { receipts } from '../../db/schema.js';
import type { Config } from '../../server/config.js';
import { receiptsDir } from '../../server/domain/receipts.js';
import { makeTestConfig, makeTestDb } from './app.js';
import { makeWorld } from './factories.js';
import { makeCase, makeDisbursement } from './money-factories.js';

/** A receipt row and its file, as an upload leaves them (random bytes, random storage name unless given). */
const worlds = new WeakMap<Db, Awaited<ReturnType<typeof makeWorld>>>();

export async function storeReceipt(db: Db, dataDir: string, name = `${randomBytes(8).toString('hex')}.jpg`): Promise<{ name: string; bytes: Buffer }> {
  const w = worlds.get(db) ?? (await makeWorld(db));
  worlds.set(db, w);
  const c = makeCase(db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id });
  const d = makeDisbursement(db, {
    caseId: c.id,
    submittedBy: w.tokyoSupporter.id,
    paidOn: '2025-06-10',
    status: 'pending',
    lines: [{ category: 'food', amount: 1000 }],
  });
  const bytes = randomBytes(2048);
  mkdirSync(receiptsDir(dataDir), { recursive: true });
  writeFileSync(path.join(receiptsDir(dataDir), name), bytes);
  db.insert(receipts)
    .values({
      disbursementId: d.id,
      storageName: name,
      mediaType: 'image/jpeg',
      byteSize: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedBy: w.tokyoSupporter.id,
      uploadedAt: '2025-06-10T00:00:00Z',
    })
    .run();
  return { name, bytes };
}

/** A migrated database in a temporary DATA_DIR, configured with `env` (a replica), without the app. */
export function databaseWithReplica(env: Record<string, string>): { config: Config; db: Db; dataDir: string; close(): void } {
  const { config, dataDir } = makeTestConfig(env);
  const db = makeTestDb(config);
  return {
    config,
    db,
    dataDir,
    close() {
      db.$client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
