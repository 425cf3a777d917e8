import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { distinctColumnValues, stageUpload, stagedRows } from '../../server/domain/imports/batches.js';
import { openScratchDb } from '../helpers/scratch-db.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

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

async function stageFive() {
  const org = makeOrganization(db);
  const user = await makeUser(db, { role: 'supporter', organizationId: org.id });
  const actor = { userId: user.id, role: user.role, organizationId: org.id, isAdmin: false, displayName: 'S', locale: 'ja' as const };
  const rows = [2, 3, 5, 8, 9].map((n) => ({ rowNumber: n, cells: [`2025-07-0${n}`.slice(0, 10), n % 2 ? '食費' : '家賃', String(n * 100)] }));
  const table = { format: 'csv' as const, encoding: 'utf-8' as const, sheets: [], sheetName: null, headers: ['日付', '区分', '金額'], rows };
  const cipher = createFieldCipher(dataKey);
  const { batchId } = stageUpload(db, actor, { organizationId: org.id, fileName: 'five.csv', sha256: 'a'.repeat(64), table }, new Date(), cipher);
  return { batchId, cipher, rows };
}

describe('staged rows read a page at a time', () => {
  it('gives every row once, in sheet order, across page boundaries', async () => {
    const { batchId, cipher, rows } = await stageFive();
    for (const pageSize of [1, 2, 5, 1000]) expect([...stagedRows(db, batchId, cipher, pageSize)]).toEqual(rows);
  });

  it('lets the reader run other statements between rows (the planner asks the database per row)', async () => {
    const { batchId, cipher } = await stageFive();
    const seen: number[] = [];
    for (const row of stagedRows(db, batchId, cipher, 2)) {
      const n = db.$client.prepare('SELECT count(*) AS n FROM import_rows WHERE batch_id = ?').get(batchId) as { n: number };
      seen.push(row.rowNumber * 10 + n.n);
    }
    expect(seen).toEqual([25, 35, 55, 85, 95]);
  });

  it('counts a column’s words straight from the rows as they go by, most frequent first', async () => {
    const { batchId, cipher } = await stageFive();
    expect(distinctColumnValues(stagedRows(db, batchId, cipher, 2), 1)).toEqual(['食費', '家賃']);
    expect(distinctColumnValues(stagedRows(db, batchId, cipher, 2), undefined)).toEqual([]);
  });
});
