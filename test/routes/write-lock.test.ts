import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cases } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { formKey } from './case-test-helpers.js';

let ctx: TestContext;
afterEach(async () => ctx.close());

describe('a write while another connection holds the write lock past the busy timeout (a long import commit)', () => {
  it('answers 503 with Retry-After and a message saying nothing was saved, never 500; nothing is written', async () => {
    ctx = await buildTestApp();
    const w = await makeWorld(ctx.db);
    const tokyo = await signedIn(ctx.app, w.tokyoSupporter);
    const key = await formKey(tokyo);
    const before = ctx.db.select().from(cases).all().length;
    const importer = new Database(ctx.config.databasePath);
    importer.exec('BEGIN IMMEDIATE');
    try {
      const refused = await tokyo.post('/cases', { householdSize: '2', idempotencyKey: key });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.body).toContain('データベースが混み合っていて、保存できませんでした。何も保存されていません。');
    } finally {
      importer.exec('ROLLBACK');
      importer.close();
    }
    expect(ctx.db.select().from(cases).all()).toHaveLength(before);
    // Sent again once the lock is free, the same form goes through.
    expect((await tokyo.post('/cases', { householdSize: '2', idempotencyKey: key })).statusCode).toBe(303);
    expect(ctx.db.select().from(cases).all()).toHaveLength(before + 1);
  });
});
