import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursementLines, disbursements, receipts } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { translator } from '../../server/i18n/index.js';
import { signedIn } from '../helpers/client.js';
import { openDisbursementDesk, type DisbursementDesk } from '../helpers/disbursement-desk.js';
import { defaultFundId } from '../helpers/money-factories.js';
import { postMultipart } from '../helpers/multipart.js';

const ja = translator('ja');
let ctx: DisbursementDesk['ctx'];
let world: DisbursementDesk['world'];
let tokyo: DisbursementDesk['tokyo'];
let caseId: number;
let makeRecord: DisbursementDesk['makeRecord'];

beforeEach(async () => {
  ({ ctx, world, tokyo, caseId, makeRecord } = await openDisbursementDesk({ householdSize: 3 }));
});
afterEach(async () => ctx.close());

const form = (overrides: Record<string, unknown> = {}) => ({
  caseId: String(caseId),
  idempotencyKey: newFormKey(),
  paidOn: '2025-06-10',
  fundId: String(defaultFundId(ctx.db)),
  method: 'bank_transfer',
  peopleCovered: '3',
  lines: [{ category: 'medical', amount: '8,800' }],
  ...overrides,
});
const editForm = (overrides: Record<string, unknown> = {}) => ({
  caseId: String(caseId),
  paidOn: '2025-06-12',
  fundId: String(defaultFundId(ctx.db)),
  method: 'cash',
  peopleCovered: '2',
  note: 'corrected',
  lines: [
    { category: 'food', amount: '5000' },
    { category: 'utilities', amount: '¥3,000' },
  ],
  ...overrides,
});
const count = () => ({
  disbursements: ctx.db.select().from(disbursements).all().length,
  lines: ctx.db.select().from(disbursementLines).all().length,
  receipts: ctx.db.select().from(receipts).all().length,
  audit: ctx.db.select().from(auditEvents).all().length,
});
const receiptFiles = () => {
  const dir = path.join(ctx.dataDir, 'receipts');
  return existsSync(dir) ? readdirSync(dir) : [];
};
const jpeg = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();

describe('another organization sees nothing (SPEC §5: 404, nothing written)', () => {
  it('answers 404 on every disbursement and receipt route', async () => {
    const d = makeRecord();
    const owner = await postMultipart(ctx.app, tokyo, `/disbursements/${d.id}/receipts`, {}, [{ name: 'receipt', filename: 'r.jpg', data: await jpeg() }]);
    expect(owner.statusCode).toBe(303);
    const receiptId = ctx.db.select().from(receipts).get()!.id;
    const filesBefore = receiptFiles();
    const before = count();
    const rowBefore = ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get();

    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    const afterLogin = count(); // signing in writes its own audit event
    expect((await osaka.get(`/disbursements/${d.id}`)).statusCode).toBe(404);
    expect((await osaka.get(`/disbursements/${d.id}/edit`)).statusCode).toBe(404);
    expect((await osaka.get(`/disbursements/new?case=${caseId}`)).statusCode).toBe(404);
    expect((await osaka.get(`/receipts/${receiptId}`)).statusCode).toBe(404);
    expect((await osaka.post(`/disbursements/${d.id}`, editForm())).statusCode).toBe(404);
    expect((await osaka.post(`/disbursements/${d.id}`, { lines: 'garbage' })).statusCode).toBe(404);
    expect((await osaka.post('/disbursements', form())).statusCode).toBe(404);
    const attach = await postMultipart(ctx.app, osaka, `/disbursements/${d.id}/receipts`, {}, [{ name: 'receipt', filename: 'x.jpg', data: await jpeg() }]);
    expect(attach.statusCode).toBe(404);
    const create = await postMultipart(
      ctx.app,
      osaka,
      '/disbursements',
      {
        caseId: String(caseId),
        idempotencyKey: newFormKey(),
        paidOn: '2025-06-10',
        fundId: '1',
        method: 'cash',
        peopleCovered: '1',
        'lines[0][category]': 'food',
        'lines[0][amount]': '100',
      },
      [{ name: 'receipt', filename: 'x.jpg', data: await jpeg() }],
    );
    expect(create.statusCode).toBe(404);

    expect(count()).toEqual(afterLogin);
    expect(afterLogin.disbursements).toBe(before.disbursements);
    expect(receiptFiles()).toEqual(filesBefore);
    expect(ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()).toEqual(rowBefore);
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'receipt.viewed')).all()).toHaveLength(0);
  });

  it('answers 404 on every registered route with a disbursement or receipt id, whoever added it', async () => {
    const d = makeRecord();
    await postMultipart(ctx.app, tokyo, `/disbursements/${d.id}/receipts`, {}, [{ name: 'receipt', filename: 'r.jpg', data: await jpeg() }]);
    const receiptId = ctx.db.select().from(receipts).get()!.id;
    const routes = ctx.app.registeredRoutes.filter((r) => /^\/(disbursements|receipts)\/:id/.test(r.url));
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /disbursements/:id',
        'GET /disbursements/:id/edit',
        'POST /disbursements/:id',
        'POST /disbursements/:id/receipts',
        'GET /receipts/:id',
      ]),
    );
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    const before = count();
    for (const route of routes) {
      const url = route.url.replace(':id', String(route.url.startsWith('/receipts') ? receiptId : d.id));
      const response = route.method === 'GET' ? await osaka.get(url) : await osaka.post(url, { ...editForm(), reason: 'not mine', version: '1' });
      expect(`${route.method} ${route.url} → ${response.statusCode}`).toBe(`${route.method} ${route.url} → 404`);
    }
    expect(count()).toEqual(before);
  });

  it('lets the auditor read but not edit, and a coordinator edit any group', async () => {
    const d = makeRecord();
    const auditor = await signedIn(ctx.app, world.auditor);
    const show = await auditor.get(`/disbursements/${d.id}`);
    expect(show.statusCode).toBe(200);
    expect(show.body).not.toContain(`/disbursements/${d.id}/edit`);
    expect((await auditor.get(`/disbursements/${d.id}/edit`)).statusCode).toBe(403);
    expect((await auditor.post(`/disbursements/${d.id}`, editForm())).statusCode).toBe(403);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.post(`/disbursements/${d.id}`, editForm())).statusCode).toBe(303);
    expect(ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()!.method).toBe('cash');
  });
});

describe('double submission (SPEC §7)', () => {
  it('creates one record for the same key sent twice, answering the same location', async () => {
    const sent = form();
    const first = await tokyo.post('/disbursements', sent);
    const second = await tokyo.post('/disbursements', sent);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(count().disbursements).toBe(1);
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'disbursement.created')).all()).toHaveLength(1);
  });

  it('creates one record for concurrent duplicates', async () => {
    const sent = form();
    const responses = await Promise.all([tokyo.post('/disbursements', sent), tokyo.post('/disbursements', sent), tokyo.post('/disbursements', sent)]);
    expect(responses.map((r) => r.statusCode)).toEqual([303, 303, 303]);
    expect(new Set(responses.map((r) => r.headers.location)).size).toBe(1);
    expect(count().disbursements).toBe(1);
    expect(count().lines).toBe(1);
  });

  it('creates one record for concurrent multipart duplicates with a receipt, and keeps one file', async () => {
    const fields = {
      caseId: String(caseId),
      idempotencyKey: newFormKey(),
      paidOn: '2025-06-10',
      fundId: String(defaultFundId(ctx.db)),
      method: 'cash',
      peopleCovered: '1',
      'lines[0][category]': 'food',
      'lines[0][amount]': '１，０００',
    };
    const file = [{ name: 'receipt', filename: 'r.jpg', contentType: 'image/jpeg', data: await jpeg() }];
    const responses = await Promise.all([
      postMultipart(ctx.app, tokyo, '/disbursements', fields, file),
      postMultipart(ctx.app, tokyo, '/disbursements', fields, file),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([303, 303]);
    expect(count().disbursements).toBe(1);
    expect(count().receipts).toBe(1);
    expect(receiptFiles()).toEqual([ctx.db.select().from(receipts).get()!.storageName]);
  });

  it('refuses the same key with other content (409)', async () => {
    const sent = form();
    expect((await tokyo.post('/disbursements', sent)).statusCode).toBe(303);
    const other = await tokyo.post('/disbursements', { ...sent, lines: [{ category: 'medical', amount: '9,900' }] });
    expect(other.statusCode).toBe(409);
    expect(other.body).toContain(ja('errors.idempotencyMismatch'));
    expect(count().disbursements).toBe(1);
  });

  it('keeps the key after a 422 so the corrected form still counts once', async () => {
    const sent = form({ paidOn: '2030-01-01' });
    expect((await tokyo.post('/disbursements', sent)).statusCode).toBe(422);
    const fixed = { ...sent, paidOn: '2025-06-10' };
    const a = await tokyo.post('/disbursements', fixed);
    const b = await tokyo.post('/disbursements', fixed);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(count().disbursements).toBe(1);
  });

  it('answers 400 to a create without a well-formed key', async () => {
    expect((await tokyo.post('/disbursements', form({ idempotencyKey: 'short' }))).statusCode).toBe(400);
    expect(count().disbursements).toBe(0);
  });
});

describe('pending life: edit while pending, never after a decision', () => {
  it('shows the stored values in the edit form and replaces content and lines, with an audit event', async () => {
    const d = makeRecord({
      lines: [
        { category: 'shelter', amount: 30000 },
        { category: 'food', amount: 1000 },
      ],
    });
    const page = await tokyo.get(`/disbursements/${d.id}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="lines\[0\]\[amount\]"[^>]*value="30000"/);
    expect(page.body).toMatch(/<option value="shelter" selected>/);
    expect(page.body).toContain('name="version" value="1"');
    const response = await tokyo.post(`/disbursements/${d.id}`, { ...editForm(), version: '1' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/disbursements/${d.id}`);
    const row = ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()!;
    expect(row).toMatchObject({ paidOn: '2025-06-12', method: 'cash', peopleCovered: 2, note: 'corrected', version: 2, status: 'pending' });
    const lines = ctx.db.select().from(disbursementLines).where(eq(disbursementLines.disbursementId, d.id)).all();
    expect(lines.map((l) => [l.position, l.amount, l.paidOn])).toEqual([
      [0, 5000, '2025-06-12'],
      [1, 3000, '2025-06-12'],
    ]);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'disbursement.updated')).get()!;
    expect(JSON.parse(event.before!)).toMatchObject({
      paidOn: '2025-06-01',
      total: 31000,
      lines: [
        { category: 'shelter', amount: 30000 },
        { category: 'food', amount: 1000 },
      ],
    });
    expect(JSON.parse(event.after!)).toMatchObject({ paidOn: '2025-06-12', total: 8000, hasNote: true });
    expect(event.after).not.toContain('corrected');
  });

  it('re-renders an invalid edit with 422 and everything typed', async () => {
    const d = makeRecord();
    const response = await tokyo.post(`/disbursements/${d.id}`, editForm({ peopleCovered: '4', lines: [{ category: 'food', amount: '１２，０００' }] }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(ja('disbursements.peopleOverHousehold', { household: 3 }));
    expect(response.body).toMatch(/name="lines\[0\]\[amount\]"[^>]*value="１２，０００"/);
    expect(ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()!.version).toBe(1);
  });

  it('refuses an edit from a form older than the record (409)', async () => {
    const d = makeRecord();
    expect((await tokyo.post(`/disbursements/${d.id}`, { ...editForm(), version: '1' })).statusCode).toBe(303);
    const stale = await tokyo.post(`/disbursements/${d.id}`, { ...editForm({ note: 'again' }), version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()!.note).toBe('corrected');
  });

  it.each(['approved', 'rejected', 'withdrawn', 'voided'] as const)('refuses to edit a %s disbursement (409), for anyone', async (status) => {
    const d = makeRecord({ status, decidedBy: world.coordinator.id });
    const coordinator = await signedIn(ctx.app, world.admin);
    const before = count();
    for (const client of [tokyo, coordinator]) {
      const page = await client.get(`/disbursements/${d.id}/edit`);
      expect(page.statusCode).toBe(409);
      expect(page.body).toContain(ja('disbursements.decided'));
      expect((await client.post(`/disbursements/${d.id}`, editForm())).statusCode).toBe(409);
    }
    expect(count()).toEqual(before);
    expect(ctx.db.select().from(disbursementLines).where(eq(disbursementLines.disbursementId, d.id)).get()!.amount).toBe(10000);
    const show = await tokyo.get(`/disbursements/${d.id}`);
    expect(show.body).not.toContain(`href="/disbursements/${d.id}/edit"`);
  });

  it('refuses to edit a pending disbursement dated inside a locked period (409)', async () => {
    const d = makeRecord({ paidOn: '2025-03-10' });
    ctx.db.$client
      .prepare("INSERT INTO period_locks (starts_on, ends_on, note, locked_by, locked_at) VALUES ('2024-04-01', '2025-03-31', 'FY2024', ?, '2025-04-10')")
      .run(world.admin.id);
    expect((await tokyo.post(`/disbursements/${d.id}`, editForm())).statusCode).toBe(409);
    expect(ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()!.paidOn).toBe('2025-03-10');
  });
});

describe('the record page', () => {
  it('shows the case code, lines, total, status and an edit link while pending', async () => {
    const d = makeRecord({
      lines: [
        { category: 'shelter', amount: 30000 },
        { category: 'food', amount: 12000 },
      ],
    });
    const page = await tokyo.get(`/disbursements/${d.id}`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      'T' + world.tokyo.id + '-2025-',
      'シェルター・住居費',
      '食料・消耗品費',
      '¥30,000',
      '¥42,000',
      '承認待ち',
      'Tokyo group',
      `href="/disbursements/${d.id}/edit"`,
      'Tokyo Supporter',
    ]) {
      expect(page.body).toContain(text);
    }
  });

  it('shows the rejection reason prominently', async () => {
    const d = makeRecord({ status: 'rejected', decidedBy: world.coordinator.id });
    const page = await tokyo.get(`/disbursements/${d.id}`);
    expect(page.body).toContain(ja('disbursements.rejectedTitle'));
    expect(page.body).toContain('<p class="decision-reason">test rejection</p>');
    expect(page.body).toContain('Second Coordinator');
  });

  it('keeps a voided record visible, struck through, with who voided it, when and why', async () => {
    const d = makeRecord({ status: 'voided', decidedBy: world.coordinator.id });
    ctx.db.$client.prepare('UPDATE disbursements SET voided_by = ? WHERE id = ?').run(world.admin.id, d.id);
    const page = await tokyo.get(`/disbursements/${d.id}`);
    expect(page.body).toContain('<div class="record struck">');
    expect(page.body).toContain(ja('disbursements.voidReason', { reason: 'test void' }));
    expect(page.body).toContain(ja('disbursements.voidedBy', { name: 'Admin Coordinator', at: '2025年6月3日 09:00' }));
    expect(page.body).toContain('¥10,000');
  });

  it('answers 404 to an id that is not a number', async () => {
    expect((await tokyo.get('/disbursements/abc')).statusCode).toBe(404);
    expect((await tokyo.get('/disbursements/0/edit')).statusCode).toBe(404);
  });
});
