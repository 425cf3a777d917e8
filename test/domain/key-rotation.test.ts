import { spawn } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { cases, secondFactors } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Actor } from '../../server/domain/actor.js';
import { createCase } from '../../server/domain/cases.js';
import { createFieldCipher, FieldDecryptError } from '../../server/domain/field-crypto.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { rotateFieldKeys } from '../../server/domain/key-rotation.js';
import { beginEnrolment } from '../../server/domain/second-factor.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

const OLD = Buffer.from(TEST_DATA_KEY, 'base64');
const NEW = Buffer.alloc(32, 9);
const root = path.resolve(import.meta.dirname, '../..');

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const supporter = (): Actor => ({
  userId: world.tokyoSupporter.id,
  role: 'supporter',
  organizationId: world.tokyo.id,
  isAdmin: false,
  displayName: 'x',
  locale: 'ja',
});
const profile = { householdSize: 1, gender: null, ageBand: null, nationality: null, residenceStatus: null, prefecture: null, organizationId: null };

/** Cases and a TOTP secret sealed with the old key, as before a rotation. */
function seed(count: number): void {
  const deps = { cipher: createFieldCipher(OLD), clock: ctx.clock };
  for (let i = 0; i < count; i++) {
    createCase(
      ctx.db,
      supporter(),
      { ...profile, alias: `Person ${i}`, contact: i % 2 ? `0${i}` : null, notes: `note ${i}`, idempotencyKey: newFormKey() },
      deps,
    );
  }
  beginEnrolment(ctx.db, world.coordinator.id, createFieldCipher(OLD), ctx.clock.now());
}

/** Every sealed value: does it open with this cipher alone? */
function openings(cipher: ReturnType<typeof createFieldCipher>): boolean[] {
  const results: boolean[] = [];
  const tryOpen = (stored: string | null, place: { table: string; column: string; rowId: number }) => {
    if (stored === null) return;
    try {
      cipher.decrypt(stored, place);
      results.push(true);
    } catch (error) {
      if (!(error instanceof FieldDecryptError)) throw error;
      results.push(false);
    }
  };
  for (const c of ctx.db.select().from(cases).all()) {
    tryOpen(c.aliasEnc, { table: 'cases', column: 'alias_enc', rowId: c.id });
    tryOpen(c.contactEnc, { table: 'cases', column: 'contact_enc', rowId: c.id });
    tryOpen(c.notesEnc, { table: 'cases', column: 'notes_enc', rowId: c.id });
  }
  for (const f of ctx.db.select().from(secondFactors).all()) tryOpen(f.totpSecretEnc, { table: 'second_factors', column: 'totp_secret', rowId: f.userId });
  return results;
}

describe('rotateFieldKeys', () => {
  it('resumes after a crash and ends with every value under the new key only, alias index included', () => {
    seed(25);
    const cipher = createFieldCipher(NEW, [OLD]);
    let batches = 0;
    expect(() =>
      rotateFieldKeys(ctx.db, cipher, {
        batchSize: 10,
        afterBatch: () => {
          if (++batches === 1) throw new Error('crash');
        },
      }),
    ).toThrow('crash');
    const midway = openings(createFieldCipher(NEW));
    expect(midway.filter(Boolean).length).toBeGreaterThan(0);
    expect(midway.filter((ok) => !ok).length).toBeGreaterThan(0);
    // Mid-rotation, alias search looks under both keys' indexes.
    expect(cipher.aliasIndexes('Person 3')).toEqual([createFieldCipher(NEW).aliasIndex('Person 3'), createFieldCipher(OLD).aliasIndex('Person 3')]);

    const report = rotateFieldKeys(ctx.db, cipher, { batchSize: 10 });
    expect(report).toEqual({ casesRewritten: 15, factorsRewritten: 1, fingerprintsRewritten: 15, alreadyCurrent: 10 });
    expect(openings(createFieldCipher(NEW)).every(Boolean)).toBe(true);
    expect(openings(createFieldCipher(OLD)).some(Boolean)).toBe(false);
    const row = ctx.db.select().from(cases).where(eq(cases.id, 1)).get()!;
    expect(row.aliasIndex).toBe(createFieldCipher(NEW).aliasIndex('Person 0'));
    expect(rotateFieldKeys(ctx.db, cipher, { batchSize: 10 })).toEqual({
      casesRewritten: 0,
      factorsRewritten: 0,
      fingerprintsRewritten: 0,
      alreadyCurrent: 26,
    });
  });

  it('survives kill -9 of npm run keys:rotate in the middle; a second run finishes the job', async () => {
    seed(120);
    const env = {
      ...process.env,
      DATA_DIR: ctx.dataDir,
      DATA_KEY: NEW.toString('base64'),
      DATA_KEY_PREVIOUS: TEST_DATA_KEY,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    };
    const run = (killAfterProgress: boolean) =>
      new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve, reject) => {
        // node itself, not the tsx wrapper: the signal must reach the process doing the work.
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(root, 'scripts/keys-rotate.ts'), '--batch', '5', '--pause-ms', killAfterProgress ? '200' : '0'],
          { cwd: root, env },
        );
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (killAfterProgress && stdout.includes('progress:')) child.kill('SIGKILL');
        });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout }));
      });
    const killed = await run(true);
    expect(killed.signal).toBe('SIGKILL');
    expect(openings(createFieldCipher(NEW)).some((ok) => !ok)).toBe(true);
    const finished = await run(false);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/Rotation complete: \d+ cases and 1 second factors re-sealed, \d+ were already current/);
    expect(openings(createFieldCipher(NEW)).every(Boolean)).toBe(true);
    expect(openings(createFieldCipher(OLD)).some(Boolean)).toBe(false);

    // DATA_KEY_PREVIOUS dropped: the trail written under the old key still verifies, by script and on /audit.
    const newOnly = { ...env, DATA_KEY_PREVIOUS: '' };
    const verified = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/verify-audit.ts')], { cwd: root, env: newOnly });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(verified.out).toMatch(/Audit chain verified: \d+ events/);
    expect(verified.code).toBe(0);
    const config = loadConfig({ DATA_DIR: ctx.dataDir, DATA_KEY: NEW.toString('base64'), NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const db = openDatabase(config.databasePath);
    const app = await buildApp({ config, db, clock: ctx.clock });
    try {
      const page = await (await signedIn(app, world.auditor)).get('/audit');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('chain-banner chain-ok');
    } finally {
      await app.close();
      db.$client.close();
    }
  }, 60_000);
});
