import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, cases, disbursementLines, disbursements, identityFingerprints, importBatches, periodLocks } from '../../db/schema.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { identityFingerprint } from '../../server/domain/person-matches.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';
import { batchIdOf, csvOf, proposedForm, upload } from '../imports/helpers.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let tokyo: TestClient;

beforeEach(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  world = await makeWorld(ctx.db);
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
});
afterEach(async () => ctx.close());

const ROWS = [
  ['2024/7/4', 'A-001', '家賃', '¥50,000', '2', '現金', ''],
  ['2024/7/4', 'A-001', '食費', '１２，０００', '2', '現金', ''],
  ['令和6年8月1日', 'A-002', '医療費', '8000円', '1', '振込', '通院'],
];

async function dryRun(client: TestClient, id: number, changes: Record<string, string> = {}) {
  const page = await client.get(`/imports/${id}`);
  expect(page.statusCode).toBe(200);
  return client.post(`/imports/${id}/dry-run`, { ...proposedForm(page.body), ...changes });
}

const countOf = (table: typeof disbursements | typeof cases | typeof importBatches | typeof disbursementLines) =>
  ctx.db.select({ n: count() }).from(table).get()!.n;

describe('importing a CSV, step by step', () => {
  it('reads, proposes the mapping, dry-runs without writing, then commits all rows as pending records', async () => {
    const res = await upload(ctx.app, tokyo, csvOf(ROWS, { encoding: 'shift_jis' }), '2024年度.csv');
    expect(res.statusCode).toBe(303);
    const id = batchIdOf(res);
    const page = await tokyo.get(`/imports/${id}`);
    expect(page.body).toContain('Shift_JIS');
    const form = proposedForm(page.body);
    expect([
      form['col[paidOn]'],
      form['col[caseRef]'],
      form['col[category]'],
      form['col[amount]'],
      form['col[peopleCovered]'],
      form['col[method]'],
      form['col[note]'],
    ]).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    // 「家賃」「食費」「医療費」 are recognized as categories without help.
    expect(form['categoryCode[0]']).toBe('shelter');

    const dry = await dryRun(tokyo, id);
    expect(dry.statusCode).toBe(303);
    expect([countOf(disbursements), countOf(cases)]).toEqual([0, 0]);
    const preview = await tokyo.get(`/imports/${id}`);
    expect(preview.body).toContain('取り込める行: 3');
    expect(preview.body).toContain('作られる支給記録: 2件（新しいケース 2件）');
    expect(preview.body).toContain('¥70,000');
    expect(preview.body).toContain('2024-08');

    const commit = await tokyo.post(`/imports/${id}/commit`);
    expect(commit.statusCode).toBe(303);
    const records = ctx.db.select().from(disbursements).all();
    expect(records.map((d) => [d.paidOn, d.status, d.method, d.peopleCovered])).toEqual([
      ['2024-07-04', 'pending', 'cash', 2],
      ['2024-08-01', 'pending', 'bank_transfer', 1],
    ]);
    expect(
      ctx.db
        .select()
        .from(disbursementLines)
        .all()
        .map((l) => l.amount),
    ).toEqual([50_000, 12_000, 8_000]);
    expect(countOf(cases)).toBe(2);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'import.committed')).get()!;
    expect(JSON.parse(event.after!)).toMatchObject({ fileName: '2024年度.csv', rows: 3, disbursements: 2, total: 70_000 });
    expect(JSON.parse(event.after!).fileSha256).toMatch(/^[0-9a-f]{64}$/);
    // Every imported yen is bound to the keyed chain, record by record (SPEC §7).
    const verdict = verifyAuditTrail(ctx.db);
    expect(verdict.ledger).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'disbursement.imported')).all()).toHaveLength(2);
  });

  it('shows each bad row with its number and reason, refuses to commit, and offers the errors as CSV', async () => {
    const rows = [
      ...ROWS,
      ['2024/2/30', 'A-003', '家賃', '1000', '1', '現金', ''],
      ['2024/7/5', 'A-003', '家賃', '12.5', '1', '現金', ''],
      ['2024/7/6', 'A-003', '謎', '-300', '1', '現金', ''],
    ];
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf(rows), 'bad.csv'));
    await dryRun(tokyo, id);
    const page = await tokyo.get(`/imports/${id}`);
    expect(page.body).toContain('誤りのある行: 3');
    expect(page.body).toContain('その日付はカレンダーにありません');
    const csv = await tokyo.get(`/imports/${id}/errors.csv`);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['5', '6', '7']);
    expect(lines[2]).toContain('金額');
    const commit = await tokyo.post(`/imports/${id}/commit`);
    expect(commit.statusCode).toBe(409);
    expect(countOf(disbursements)).toBe(0);
  });

  it('maps the group’s own words to categories when the user says so', async () => {
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf([['2024/7/4', 'A-001', 'おこめ', '3000', '1', '現金', '']]), 'w.csv'));
    const page = await tokyo.get(`/imports/${id}`);
    const form = proposedForm(page.body);
    expect(form['categoryWord[0]']).toBe('おこめ');
    expect(form['categoryCode[0]']).toBe('');
    await tokyo.post(`/imports/${id}/dry-run`, { ...form, 'categoryCode[0]': 'food', saveAs: '東京の様式' });
    expect((await tokyo.get(`/imports/${id}`)).body).toContain('取り込める行: 1');
    expect((await tokyo.post(`/imports/${id}/commit`)).statusCode).toBe(303);
    // The saved mapping is offered for the next file, and carries the word.
    const next = batchIdOf(await upload(ctx.app, tokyo, csvOf([['2024/7/9', 'A-001', 'おこめ', '4000', '1', '現金', '']]), 'w2.csv'));
    const again = await tokyo.get(`/imports/${next}`);
    const saved = /<option value="(\d+)">東京の様式<\/option>/.exec(again.body);
    expect(saved).not.toBeNull();
    const applied = proposedForm((await tokyo.get(`/imports/${next}?mapping=${saved![1]}`)).body);
    expect(applied['categoryCode[0]']).toBe('food');
  });

  it('encrypts mapped identity columns on the cases it opens, and keeps no name in clear anywhere', async () => {
    const header = ['支給日', 'ケース番号', '区分', '金額', '氏名', '連絡先'];
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf([['2024/7/4', 'P-1', '家賃', '1000', 'Nguyen Van Anh', '090-1234-5678']], { header }), 'p.csv'));
    const form = proposedForm((await tokyo.get(`/imports/${id}`)).body);
    expect([form['col[alias]'], form['col[contact]']]).toEqual(['4', '5']);
    await tokyo.post(`/imports/${id}/dry-run`, form);
    expect((await tokyo.post(`/imports/${id}/commit`)).statusCode).toBe(303);
    const theCase = ctx.db.select().from(cases).get()!;
    const cipher = createFieldCipher(ctx.config.dataKey);
    expect(cipher.decrypt(theCase.aliasEnc!, { table: 'cases', column: 'alias_enc', rowId: theCase.id })).toBe('Nguyen Van Anh');
    expect(cipher.decrypt(theCase.contactEnc!, { table: 'cases', column: 'contact_enc', rowId: theCase.id })).toBe('090-1234-5678');
    // The imported name gets the same keyed fingerprint a typed-in one would, so matching sees it.
    expect(ctx.db.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, theCase.id)).get()?.fingerprint).toBe(
      identityFingerprint(cipher, { name: 'Nguyen Van Anh', nationality: null }),
    );
    const everything =
      JSON.stringify(ctx.db.$client.prepare('SELECT * FROM import_rows').all()) +
      JSON.stringify(ctx.db.select().from(auditEvents).all()) +
      JSON.stringify(ctx.db.select().from(importBatches).all());
    expect(everything).not.toContain('Nguyen');
    expect(everything).not.toContain('1234');
  });

  it('refuses a mapping without the required columns, keeping the choices (422)', async () => {
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf(ROWS), 'a.csv'));
    const res = await dryRun(tokyo, id, { 'col[amount]': '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('この項目の列を選んでください');
  });
});

describe('four eyes, idempotency, undo, locks', () => {
  async function committed(client: TestClient, file: Buffer, name = 'a.csv', fields: Record<string, string> = {}) {
    const id = batchIdOf(await upload(ctx.app, client, file, name, fields));
    await dryRun(client, id);
    expect((await client.post(`/imports/${id}/commit`)).statusCode).toBe(303);
    return id;
  }

  it('approves only when a coordinator other than the uploader confirms', async () => {
    const admin = await signedIn(ctx.app, world.admin);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const id = await committed(admin, csvOf(ROWS), 'a.csv', { organizationId: String(world.tokyo.id) });
    const own = await admin.post(`/imports/${id}/confirm`);
    expect(own.statusCode).toBe(403);
    expect((await tokyo.post(`/imports/${id}/confirm`)).statusCode).toBe(403);
    expect((await coordinator.post(`/imports/${id}/confirm`)).statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .map((d) => [d.status, d.decidedBy]),
    ).toEqual([
      ['approved', world.coordinator.id],
      ['approved', world.coordinator.id],
    ]);
    expect(ctx.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, 'disbursement.approved')).get()!.n).toBe(2);
  });

  it('a coordinator uploading for a group: the records belong to that group', async () => {
    const admin = await signedIn(ctx.app, world.admin);
    const missing = await upload(ctx.app, admin, csvOf(ROWS), 'a.csv');
    expect(missing.statusCode).toBe(422);
    const id = batchIdOf(await upload(ctx.app, admin, csvOf(ROWS), 'a.csv', { organizationId: String(world.osaka.id) }));
    await dryRun(admin, id);
    await admin.post(`/imports/${id}/commit`);
    expect(
      new Set(
        ctx.db
          .select()
          .from(disbursements)
          .all()
          .map((d) => d.organizationId),
      ),
    ).toEqual(new Set([world.osaka.id]));
  });

  it('importing the same file again creates nothing and says so; overlapping rows are skipped', async () => {
    const file = csvOf(ROWS);
    const first = await committed(tokyo, file);
    const again = await upload(ctx.app, tokyo, file, 'copy.csv');
    expect(batchIdOf(again)).toBe(first);
    // The answer is a flash message (in its cookie) on the earlier batch's page.
    expect(String(again.headers['set-cookie'] ?? '')).toContain('imports.sameFile');
    expect(countOf(importBatches)).toBe(1);
    // A longer export holding the same rows: only the new row is added, to the same case.
    const longer = csvOf([...ROWS, ['2024/9/1', 'A-001', '家賃', '50000', '2', '現金', '']]);
    const id = batchIdOf(await upload(ctx.app, tokyo, longer, 'longer.csv'));
    await dryRun(tokyo, id);
    expect((await tokyo.get(`/imports/${id}`)).body).toContain('取り込み済みのため飛ばす行: 3');
    await tokyo.post(`/imports/${id}/commit`);
    expect([countOf(disbursements), countOf(cases)]).toEqual([3, 2]);
    // Nothing new at all: refused with its reason.
    const same = batchIdOf(await upload(ctx.app, tokyo, csvOf(ROWS.slice(0, 2)), 'part.csv'));
    await dryRun(tokyo, same);
    expect((await tokyo.post(`/imports/${same}/commit`)).statusCode).toBe(409);
    expect(countOf(disbursements)).toBe(3);
  });

  it('undoes a batch as a unit with a reason: pending records withdrawn, approved ones voided', async () => {
    const id = await committed(tokyo, csvOf(ROWS));
    expect((await tokyo.post(`/imports/${id}/undo`, { reason: '' })).statusCode).toBe(422);
    expect((await tokyo.post(`/imports/${id}/undo`, { reason: '列を間違えた' })).statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .every((d) => d.status === 'withdrawn'),
    ).toBe(true);
    expect(ctx.db.select().from(importBatches).get()!.status).toBe('undone');
    // Undone rows no longer count as imported: the corrected file goes in.
    const again = await committed(tokyo, csvOf(ROWS), 'fixed.csv');
    expect(again).not.toBe(id);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    await coordinator.post(`/imports/${again}/confirm`);
    expect((await coordinator.post(`/imports/${again}/undo`, { reason: '重複' })).statusCode).toBe(303);
    const voided = ctx.db.select().from(disbursements).where(eq(disbursements.status, 'voided')).all();
    expect(voided.map((d) => d.voidReason)).toEqual(['重複', '重複']);
  });

  it('rows in a locked period are errors, and a batch with records in a locked period cannot be undone', async () => {
    ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2024-08-01', endsOn: '2024-08-31', note: '8月締め', lockedBy: world.admin.id, lockedAt: '2024-09-10T00:00:00.000Z' })
      .run();
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf(ROWS), 'a.csv'));
    await dryRun(tokyo, id);
    expect((await tokyo.get(`/imports/${id}`)).body).toContain('締め済みの期間です（8月締め）');
    expect((await tokyo.post(`/imports/${id}/commit`)).statusCode).toBe(409);

    const ok = await committed(tokyo, csvOf(ROWS.slice(0, 2)), 'july.csv');
    ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2024-07-01', endsOn: '2024-07-31', note: '7月締め', lockedBy: world.admin.id, lockedAt: '2024-09-10T00:00:00.000Z' })
      .run();
    expect((await tokyo.post(`/imports/${ok}/undo`, { reason: 'x' })).statusCode).toBe(409);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .every((d) => d.status === 'pending'),
    ).toBe(true);
  });

  it('matches existing cases by their code, and another group’s batch is a 404', async () => {
    const existing = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 4, code: 'TKY-2024-0007' });
    const id = await committed(tokyo, csvOf([['2024/7/4', 'TKY-2024-0007', '家賃', '50000', '3', '現金', '']]));
    expect(ctx.db.select().from(disbursements).get()!.caseId).toBe(existing.id);
    expect(countOf(cases)).toBe(1);
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    for (const path of [`/imports/${id}`, `/imports/${id}/errors.csv`]) expect((await osaka.get(path)).statusCode).toBe(404);
    expect((await osaka.post(`/imports/${id}/undo`, { reason: 'x' })).statusCode).toBe(404);
    const auditor = await signedIn(ctx.app, world.auditor);
    expect((await auditor.get(`/imports/${id}`)).statusCode).toBe(403);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .where(and(eq(disbursements.status, 'pending')))
        .all(),
    ).toHaveLength(1);
  });
});
