import { existsSync, readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, cases } from '../../db/schema.js';
import { createFieldCipher, FieldDecryptError } from '../../server/domain/field-crypto.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { createCaseVia } from './case-test-helpers.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const SECRETS = { alias: 'ALIAS-SECRET-1', contact: 'CONTACT-SECRET-2', notes: 'NOTES-SECRET-3' };
const secretValues = Object.values(SECRETS);

describe('who sees identifying fields', () => {
  it('the auditor never does; the owning supporter does; the coordinator only with a reason', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(tokyo, { ...SECRETS, nationality: 'MM' });

    const auditor = await signedIn(ctx.app, world.auditor);
    const pages = [await auditor.get(`/cases/${id}`), await auditor.get('/cases'), await auditor.get('/cases?q=TKY')];
    for (const page of pages) {
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('TKY-2025-0001');
      for (const secret of secretValues) expect(page.body).not.toContain(secret);
    }
    expect(pages[0]!.body).toContain('あなたの役割では表示されません');
    const auditorEdit = await auditor.get(`/cases/${id}/edit`);
    expect(auditorEdit.statusCode).toBe(403);
    for (const secret of secretValues) expect(auditorEdit.body).not.toContain(secret);
    const auditorPost = await auditor.post(`/cases/${id}`, { householdSize: '2', status: 'open' }, { csrf: await auditor.csrf('/cases') });
    expect(auditorPost.statusCode).toBe(403);

    const owner = await signedIn(ctx.app, world.tokyoSupporter);
    for (const url of [`/cases/${id}`, `/cases/${id}/edit`]) {
      const page = (await owner.get(url)).body;
      for (const secret of secretValues) expect(page).toContain(secret);
    }
    const coordinator = await signedIn(ctx.app, world.coordinator);
    for (const url of [`/cases/${id}`, `/cases/${id}/edit`]) {
      const page = await coordinator.get(url);
      expect(page.statusCode).toBe(200);
      for (const secret of secretValues) expect(page.body).not.toContain(secret);
    }
    expect((await coordinator.get(`/cases/${id}`)).body).toContain(`action="/cases/${id}/reveal"`);
  });

  it('records who read identifying fields, and never the values', async () => {
    const id = await createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), { alias: SECRETS.alias });
    await (await signedIn(ctx.app, world.tokyoSupporter)).get(`/cases/${id}`);
    await (await signedIn(ctx.app, world.coordinator)).get(`/cases/${id}`);
    await (await signedIn(ctx.app, world.auditor)).get(`/cases/${id}`);
    const viewed = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.identity_viewed')).all();
    expect(viewed.map((e) => e.actorUserId)).toEqual([world.tokyoSupporter.id]);
    expect(JSON.parse(viewed[0]!.after!)).toEqual({ fields: ['alias'] });
    const everything = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .map((e) => `${e.before ?? ''}${e.after ?? ''}`)
      .join('\n');
    expect(everything).not.toContain(SECRETS.alias);
    expect(everything).not.toContain(ctx.db.select().from(cases).get()!.aliasEnc!.slice(3));
  });
});

describe('identifying values at rest', () => {
  const DISTINCT = { alias: 'ZQXALIAS-7781', contact: 'ZQXCONTACT-7782', notes: 'ZQXNOTES-7783 メモ' };
  const EDITED = { alias: 'ZQXALIAS-EDIT-7791', contact: 'ZQXCONTACT-EDIT-7792', notes: 'ZQXNOTES-EDIT-7793' };

  function rawFiles(): { db: Buffer; wal: Buffer } {
    const dbPath = ctx.config.databasePath;
    const walPath = `${dbPath}-wal`;
    return { db: readFileSync(dbPath), wal: existsSync(walPath) ? readFileSync(walPath) : Buffer.alloc(0) };
  }

  function expectNoClearText(files: { db: Buffer; wal: Buffer }): void {
    for (const value of [...Object.values(DISTINCT), ...Object.values(EDITED)]) {
      for (const [name, bytes] of Object.entries(files)) {
        expect(bytes.includes(Buffer.from(value, 'utf8')), `${value} in ${name}`).toBe(false);
        expect(bytes.includes(Buffer.from(value, 'utf16le')), `${value} (utf16) in ${name}`).toBe(false);
      }
    }
  }

  it('neither the database file nor its WAL holds them in clear, before and after a checkpoint', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(tokyo, DISTINCT);
    // the profile is plain and so is findable in the file: the search below can succeed
    const before = rawFiles();
    expect(before.wal.length).toBeGreaterThan(0);
    expect(Buffer.concat([before.db, before.wal]).includes(Buffer.from('TKY-2025-0001'))).toBe(true);
    expectNoClearText(before);

    const edited = await tokyo.post(`/cases/${id}`, { householdSize: '3', status: 'closed', ...EDITED });
    expect(edited.statusCode).toBe(303);
    expect((await tokyo.get(`/cases/${id}`)).body).toContain(EDITED.alias);
    expectNoClearText(rawFiles());

    ctx.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const after = rawFiles();
    expect(after.db.includes(Buffer.from('TKY-2025-0001'))).toBe(true);
    expectNoClearText(after);
  });
});

describe('tampered ciphertext', () => {
  it('a value copied to another row or column does not decrypt: the page fails rather than show garbage', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const a = await createCaseVia(tokyo, { alias: 'Alias of A', contact: 'Contact of A' });
    const b = await createCaseVia(tokyo, { alias: 'Alias of B' });
    const rowA = ctx.db.select().from(cases).where(eq(cases.id, a)).get()!;
    const cipher = createFieldCipher(ctx.config.dataKey);
    expect(cipher.decrypt(rowA.aliasEnc!, { table: 'cases', column: 'alias_enc', rowId: a })).toBe('Alias of A');
    expect(() => cipher.decrypt(rowA.aliasEnc!, { table: 'cases', column: 'alias_enc', rowId: b })).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(rowA.aliasEnc!, { table: 'cases', column: 'contact_enc', rowId: a })).toThrow(FieldDecryptError);

    ctx.db.update(cases).set({ aliasEnc: rowA.aliasEnc }).where(eq(cases.id, b)).run();
    const moved = await tokyo.get(`/cases/${b}`);
    expect(moved.statusCode).toBe(500);
    expect(moved.body).not.toContain('Alias of A');

    ctx.db.update(cases).set({ contactEnc: rowA.aliasEnc }).where(eq(cases.id, a)).run();
    const swapped = await tokyo.get(`/cases/${a}`);
    expect(swapped.statusCode).toBe(500);
    expect(swapped.body).not.toContain('Alias of A');
  });

  it('a flipped tag byte in the stored value fails too', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(tokyo, { notes: 'Some notes' });
    const stored = ctx.db.select().from(cases).where(eq(cases.id, id)).get()!.notesEnc!;
    const packed = Buffer.from(stored.slice(3), 'base64');
    packed[20] = packed[20]! ^ 0xff;
    ctx.db
      .update(cases)
      .set({ notesEnc: `v1:${packed.toString('base64')}` })
      .where(eq(cases.id, id))
      .run();
    expect((await tokyo.get(`/cases/${id}`)).statusCode).toBe(500);
    // the auditor's page never decrypts, so it still works
    expect((await (await signedIn(ctx.app, world.auditor)).get(`/cases/${id}`)).statusCode).toBe(200);
  });
});
