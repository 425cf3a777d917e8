import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, cases, organizations } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeUser, makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { createCaseVia, formKey } from './case-test-helpers.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const allCases = () => ctx.db.select().from(cases).all();
const audits = () => ctx.db.select().from(auditEvents).all();

describe('case codes', () => {
  it('numbers per organization and Tokyo year: TKY-2025-0001, 0002; OSK starts at 0001', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const first = await createCaseVia(tokyo, {});
    const second = await createCaseVia(tokyo, {});
    const osakaFirst = await createCaseVia(osaka, {});
    const byCoordinator = await createCaseVia(coordinator, { organizationId: String(world.tokyo.id) });
    // 2025-12-31 15:30 UTC is already 2026-01-01 in Tokyo
    ctx.clock.set('2025-12-31T15:30:00Z');
    const nextYear = await createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), {});
    const code = (id: number) => allCases().find((c) => c.id === id)!;
    expect(code(first).code).toBe('TKY-2025-0001');
    expect(code(second).code).toBe('TKY-2025-0002');
    expect(code(osakaFirst).code).toBe('OSK-2025-0001');
    expect(code(byCoordinator)).toMatchObject({ code: 'TKY-2025-0003', organizationId: world.tokyo.id, createdBy: world.coordinator.id });
    expect(code(nextYear)).toMatchObject({ code: 'TKY-2026-0001', codeYear: 2026, codeSeq: 1, openedOn: '2026-01-01' });
  });

  it('goes past four digits when a year needs it', async () => {
    ctx.db
      .insert(cases)
      .values({
        organizationId: world.tokyo.id,
        code: 'TKY-2025-9999',
        codeYear: 2025,
        codeSeq: 9999,
        householdSize: 1,
        openedOn: '2025-01-01',
        createdBy: world.admin.id,
      })
      .run();
    const id = await createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), {});
    expect(allCases().find((c) => c.id === id)!.code).toBe('TKY-2025-10000');
  });

  it('a supporter always creates in their own organization, whatever the form says', async () => {
    const id = await createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), { organizationId: String(world.osaka.id) });
    expect(allCases().find((c) => c.id === id)).toMatchObject({ organizationId: world.tokyo.id, code: 'TKY-2025-0001' });
  });

  it('a coordinator must choose an active organization', async () => {
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const page = await coordinator.get('/cases/new');
    expect(page.body).toContain('name="organizationId"');
    expect(page.body).toContain('Tokyo group (TKY)');
    const missing = await coordinator.post('/cases', { householdSize: '2', alias: 'KEEP-ME', idempotencyKey: await formKey(coordinator) });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('id="f-organizationId-error"');
    expect(missing.body).toContain('value="KEEP-ME"');
    ctx.db.update(organizations).set({ isActive: false }).where(eq(organizations.id, world.osaka.id)).run();
    const inactive = await coordinator.post('/cases', {
      householdSize: '2',
      organizationId: String(world.osaka.id),
      alias: 'KEEP-ME',
      idempotencyKey: await formKey(coordinator),
    });
    expect(inactive.statusCode).toBe(422);
    expect(inactive.body).toContain('id="f-organizationId-error"');
    expect(inactive.body).toContain('value="KEEP-ME"');
    expect(allCases()).toHaveLength(0);
  });

  it('an auditor cannot open the form or create a case', async () => {
    const auditor = await signedIn(ctx.app, world.auditor);
    expect((await auditor.get('/cases/new')).statusCode).toBe(403);
    const posted = await auditor.post('/cases', { householdSize: '2', idempotencyKey: 'abcdefghijklmnopqrstuv' }, { csrf: await auditor.csrf('/cases') });
    expect(posted.statusCode).toBe(403);
    expect(allCases()).toHaveLength(0);
  });
});

describe('creating and editing', () => {
  it('stores the profile, writes case.created without identifying values, and shows the case', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(tokyo, {
      householdSize: '３',
      gender: 'female',
      ageBand: '30-49',
      nationality: 'VN',
      residenceStatus: 'provisional_release',
      prefecture: '13',
      alias: 'Hana',
      contact: '090-0000-0000',
      notes: '',
    });
    const row = allCases()[0]!;
    expect(row).toMatchObject({
      id,
      householdSize: 3,
      gender: 'female',
      ageBand: '30-49',
      nationality: 'VN',
      residenceStatus: 'provisional_release',
      prefecture: '13',
      status: 'open',
      openedOn: '2025-06-15',
      closedOn: null,
      notesEnc: null,
    });
    expect(row.aliasEnc).toMatch(/^v1:/);
    expect(row.contactEnc).toMatch(/^v1:/);
    expect(row.aliasIndex).toMatch(/^[0-9a-f]{64}$/);
    const created = audits().find((e) => e.action === 'case.created')!;
    expect(created.entityId).toBe(String(id));
    expect(JSON.parse(created.after!)).toMatchObject({ code: 'TKY-2025-0001', householdSize: 3, nationality: 'VN', aliasChanged: true, contactChanged: true });
    expect(JSON.parse(created.after!)).not.toHaveProperty('notesChanged');
    for (const text of [created.after!, created.before ?? '']) {
      expect(text).not.toContain('Hana');
      expect(text).not.toContain('090-0000-0000');
      expect(text).not.toContain(row.aliasEnc!.slice(3, 20));
    }
    const page = await tokyo.get(`/cases/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('TKY-2025-0001');
    expect(page.body).toContain('ベトナム');
    expect(page.body).toContain('仮放免');
    expect(page.body).toContain('東京都');
    expect(page.body).toContain('Hana');
    expect(page.body).toContain(`href="/disbursements/new?case=${id}"`);
    expect(page.body).toContain('支給を記録');
  });

  it('edits, closes on today in Tokyo, reopens, and audits flags only for identifying fields', async () => {
    const id = await createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), { alias: 'Old alias', contact: 'same contact' });
    // 2025-06-30 16:00 UTC is 2025-07-01 in Tokyo (a new session: the old one ended while the clock moved)
    ctx.clock.set('2025-06-30T16:00:00Z');
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const edit = await tokyo.get(`/cases/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Old alias"');
    expect(edit.body).toContain('value="same contact"');
    const closed = await tokyo.post(`/cases/${id}`, {
      householdSize: '4',
      gender: 'male',
      status: 'closed',
      alias: 'New alias',
      contact: 'same contact',
      notes: '',
    });
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe(`/cases/${id}`);
    expect(allCases()[0]).toMatchObject({ householdSize: 4, gender: 'male', status: 'closed', closedOn: '2025-07-01' });
    const updated = audits().filter((e) => e.action === 'case.updated');
    expect(updated).toHaveLength(1);
    expect(JSON.parse(updated[0]!.before!)).toMatchObject({ householdSize: 2, status: 'open', closedOn: null });
    const after = JSON.parse(updated[0]!.after!);
    expect(after).toMatchObject({ householdSize: 4, status: 'closed', closedOn: '2025-07-01', aliasChanged: true });
    expect(after).not.toHaveProperty('contactChanged');
    expect(updated[0]!.after).not.toContain('alias"');
    expect(updated[0]!.after! + updated[0]!.before!).not.toMatch(/Old alias|New alias|same contact/);
    expect((await tokyo.get(`/cases/${id}`)).body).toContain('New alias');

    const reopened = await tokyo.post(`/cases/${id}`, { householdSize: '4', gender: 'male', status: 'open', alias: 'New alias', contact: 'same contact' });
    expect(reopened.statusCode).toBe(303);
    expect(allCases()[0]).toMatchObject({ status: 'open', closedOn: null });
  });

  it('keeps the stored ciphertext of an unchanged field and writes nothing when nothing changed', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(tokyo, { alias: 'Stay', notes: 'note' });
    const before = allCases()[0]!;
    const count = audits().filter((e) => e.action.startsWith('case.updated')).length;
    const same = await tokyo.post(`/cases/${id}`, { householdSize: '2', status: 'open', alias: 'Stay', notes: 'note' });
    expect(same.statusCode).toBe(303);
    expect(allCases()[0]).toEqual(before);
    expect(audits().filter((e) => e.action === 'case.updated')).toHaveLength(count);
    await tokyo.post(`/cases/${id}`, { householdSize: '3', status: 'open', alias: 'Stay', notes: 'note' });
    expect(allCases()[0]!.aliasEnc).toBe(before.aliasEnc);
    // clearing a field removes its ciphertext and its index
    await tokyo.post(`/cases/${id}`, { householdSize: '3', status: 'open', alias: '', notes: 'note' });
    expect(allCases()[0]).toMatchObject({ aliasEnc: null, aliasIndex: null });
  });

  it('shows the case disbursements with totals and links, and the log-aid entry only to those who may use it', async () => {
    const theCase = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 3 });
    const d = makeDisbursement(ctx.db, {
      caseId: theCase.id,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-06-10',
      lines: [
        { category: 'shelter', amount: 30_000 },
        { category: 'food', amount: 12_000 },
      ],
    });
    const other = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    makeDisbursement(ctx.db, { caseId: other.id, submittedBy: world.tokyoSupporter.id, lines: [{ category: 'food', amount: 777_777 }] });
    for (const user of [world.tokyoSupporter, world.coordinator]) {
      const page = await (await signedIn(ctx.app, user)).get(`/cases/${theCase.id}`);
      expect(page.body).toContain('¥42,000');
      expect(page.body).toContain(`href="/disbursements/${d.id}"`);
      expect(page.body).toContain('承認待ち');
      expect(page.body).not.toContain('¥777,777');
      expect(page.body).toContain(`/disbursements/new?case=${theCase.id}`);
    }
    const auditorPage = await (await signedIn(ctx.app, world.auditor)).get(`/cases/${theCase.id}`);
    expect(auditorPage.body).toContain('¥42,000');
    expect(auditorPage.body).not.toContain('/disbursements/new');
  });
});

describe('in English', () => {
  it('labels the form, the page and the choices in the user’s language', async () => {
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: world.tokyo.id, locale: 'en' });
    const client = await signedIn(ctx.app, user);
    const form = await client.get('/cases/new');
    expect(form.body).toContain('Household size');
    expect(form.body).toContain('<option value="VN">Vietnam</option>');
    expect(form.body).toContain('Provisional release');
    const id = await createCaseVia(client, { nationality: 'VN', residenceStatus: 'refugee_applicant', prefecture: '27', ageBand: '65+' });
    const page = (await client.get(`/cases/${id}`)).body;
    for (const text of ['Log aid', 'Vietnam', 'Refugee applicant', 'Osaka', '65 and over', 'Open']) expect(page).toContain(text);
    expect(page).not.toContain('支給を記録');
  });
});

describe('validation', () => {
  const identity = { alias: 'TYPED-ALIAS', contact: 'TYPED-CONTACT', notes: 'TYPED-NOTES line' };

  it.each(['0', '21', 'abc', '', '2.5', '-1'])('household size %j is refused with the input kept', async (size) => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const response = await tokyo.post('/cases', { householdSize: size, nationality: 'PH', ...identity, idempotencyKey: await formKey(tokyo) });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('id="f-householdSize-error"');
    expect(response.body).toMatch(/世帯人数(は1人から20人|は数字|を入力)/);
    expect(response.body).toContain('class="error-summary"');
    expect(response.body).toContain(`id="f-householdSize" name="householdSize" type="text" value="${size}"`);
    expect(response.body).toContain('value="TYPED-ALIAS"');
    expect(response.body).toContain('value="TYPED-CONTACT"');
    expect(response.body).toContain('>TYPED-NOTES line</textarea>');
    expect(response.body).toContain('<option value="PH" selected>');
    expect(allCases()).toHaveLength(0);
    expect(audits().filter((e) => e.action === 'case.created')).toHaveLength(0);
  });

  it.each([
    ['gender', 'robot'],
    ['ageBand', '100+'],
    ['nationality', 'XX'],
    ['nationality', 'jp'],
    ['residenceStatus', 'tourist'],
    ['prefecture', '48'],
    ['prefecture', '00'],
  ])('%s %j is an invalid choice', async (field, value) => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const response = await tokyo.post('/cases', { householdSize: '2', [field]: value, ...identity, idempotencyKey: await formKey(tokyo) });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`id="f-${field}-error"`);
    expect(response.body).toContain('一覧から選んでください。');
    expect(response.body).toContain('value="TYPED-ALIAS"');
    expect(allCases()).toHaveLength(0);
  });

  it('refuses identifying fields over their length with a message beside the field', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const response = await tokyo.post('/cases', {
      householdSize: '2',
      alias: 'a'.repeat(101),
      contact: 'c'.repeat(201),
      notes: 'n'.repeat(2001),
      idempotencyKey: await formKey(tokyo),
    });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('呼び名は100文字以内');
    expect(response.body).toContain('連絡先は200文字以内');
    expect(response.body).toContain('メモは2000文字以内');
    expect(response.body).toContain(`value="${'a'.repeat(101)}"`);
    const ok = await tokyo.post('/cases', {
      householdSize: '2',
      alias: 'a'.repeat(100),
      contact: 'c'.repeat(200),
      notes: 'n'.repeat(2000),
      idempotencyKey: await formKey(tokyo),
    });
    expect(ok.statusCode).toBe(303);
  });

  it('refuses an invalid edit (status, size) with the input kept and nothing written', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(tokyo, { alias: 'Before' });
    const before = allCases()[0]!;
    const count = audits().length;
    const response = await tokyo.post(`/cases/${id}`, { householdSize: '21', status: 'archived', alias: 'After typed' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('id="f-status-error"');
    expect(response.body).toContain('id="f-householdSize-error"');
    expect(response.body).toContain('value="After typed"');
    expect(response.body).toContain('value="21"');
    expect(allCases()[0]).toEqual(before);
    expect(audits()).toHaveLength(count);
  });

  it('answers 400 to a malformed list query, 404 to a malformed id', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    expect((await tokyo.get('/cases?page=abc')).statusCode).toBe(400);
    expect((await tokyo.get('/cases?page=0')).statusCode).toBe(400);
    expect((await tokyo.get('/cases?q=a&q=b')).statusCode).toBe(400);
    expect((await tokyo.get(`/cases?q=${'x'.repeat(101)}`)).statusCode).toBe(400);
    expect((await tokyo.get('/cases/abc')).statusCode).toBe(404);
    expect((await tokyo.get('/cases/99999')).statusCode).toBe(404);
  });
});

describe('double submission', () => {
  it('the same key twice makes one case and answers the first; other content with that key is refused', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const key = await formKey(tokyo);
    const body = { householdSize: '2', alias: 'Twice', idempotencyKey: key };
    const first = await tokyo.post('/cases', body);
    const second = await tokyo.post('/cases', body);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(allCases()).toHaveLength(1);
    expect(audits().filter((e) => e.action === 'case.created')).toHaveLength(1);
    const other = await tokyo.post('/cases', { ...body, alias: 'Different' });
    expect(other.statusCode).toBe(409);
    expect(allCases()).toHaveLength(1);
  });

  it('concurrent duplicates make one case', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const key = await formKey(tokyo);
    const body = { householdSize: '5', notes: 'double tap', idempotencyKey: key };
    const [a, b] = await Promise.all([tokyo.post('/cases', body), tokyo.post('/cases', body)]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    expect(a.headers.location).toBe(b.headers.location);
    expect(allCases()).toHaveLength(1);
  });

  it('a form shown again after invalid input keeps its key, so the corrected post still counts once', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const key = await formKey(tokyo);
    const invalid = await tokyo.post('/cases', { householdSize: '0', idempotencyKey: key });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain(`name="idempotencyKey" value="${key}"`);
    expect((await tokyo.post('/cases', { householdSize: '1', idempotencyKey: key })).statusCode).toBe(303);
    expect((await tokyo.post('/cases', { householdSize: '1', idempotencyKey: key })).statusCode).toBe(303);
    expect(allCases()).toHaveLength(1);
  });
});

describe('scope: another organization', () => {
  async function tokyoCase(): Promise<number> {
    return createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), { alias: 'Tokyo person', contact: 'tokyo contact' });
  }

  const snapshot = () => JSON.stringify({ cases: allCases(), audit: audits().length });

  it.each([
    ['GET', (id: number) => `/cases/${id}`, null],
    ['GET', (id: number) => `/cases/${id}/edit`, null],
    ['POST', (id: number) => `/cases/${id}`, { householdSize: '9', status: 'closed', alias: 'hijack' }],
    ['POST', (id: number) => `/cases/${id}`, { householdSize: 'invalid', status: 'nope' }],
  ] as const)('%s %s as an Osaka supporter is 404 and writes nothing', async (method, url, body) => {
    const id = await tokyoCase();
    const osaka: TestClient = await signedIn(ctx.app, world.osakaSupporter);
    const before = snapshot();
    const response = method === 'GET' ? await osaka.get(url(id)) : await osaka.post(url(id), body!);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('Tokyo person');
    expect(response.body).not.toContain('TKY-2025-0001');
    expect(snapshot()).toBe(before);
  });

  it('the list and search of a supporter never show another organization’s case', async () => {
    await tokyoCase();
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    await createCaseVia(osaka, { alias: 'Osaka person' });
    for (const url of ['/cases', '/cases?q=TKY', '/cases?q=tky-2025-0001']) {
      const page = await osaka.get(url);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('TKY-2025-0001');
    }
    expect((await osaka.post('/cases/search', { q: 'Tokyo person' })).body).not.toContain('TKY-2025-0001');
    expect((await osaka.get('/cases')).body).toContain('OSK-2025-0001');
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const tokyoList = (await tokyo.get('/cases')).body;
    expect(tokyoList).toContain('TKY-2025-0001');
    expect(tokyoList).not.toContain('OSK-2025-0001');
    const coordinatorList = (await (await signedIn(ctx.app, world.coordinator)).get('/cases')).body;
    expect(coordinatorList).toContain('TKY-2025-0001');
    expect(coordinatorList).toContain('OSK-2025-0001');
  });
});

describe('finding cases', () => {
  it('by code prefix, case-insensitively, and by exact alias (POSTed) for those who may read identity', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    await createCaseVia(tokyo, { alias: 'Mai Nguyen' });
    await createCaseVia(tokyo, { alias: 'Other' });
    const byCode = (await tokyo.get('/cases?q=tky-2025-000')).body;
    expect(byCode).toContain('TKY-2025-0001');
    expect(byCode).toContain('TKY-2025-0002');
    const exact = (await tokyo.get('/cases?q=TKY-2025-0002')).body;
    expect(exact).not.toContain('TKY-2025-0001');
    const byAlias = (await tokyo.post('/cases/search', { alias: ' ＭＡＩ nguyen ' })).body;
    expect(byAlias).toContain('TKY-2025-0001');
    expect(byAlias).not.toContain('TKY-2025-0002');
    // The alias in a URL finds nothing: search by alias is POST only.
    expect((await tokyo.get(`/cases?q=${encodeURIComponent('Mai Nguyen')}`)).body).not.toContain('TKY-2025-0001');
    expect((await tokyo.post('/cases/search', { alias: 'Mai' })).body).not.toContain('TKY-2025-0001');
    expect((await tokyo.get('/cases?q=%25')).body).not.toContain('TKY-2025-0001');
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.post('/cases/search', { alias: 'Mai Nguyen' })).body).toContain('TKY-2025-0001');
    const auditor = await signedIn(ctx.app, world.auditor);
    const auditorSearch = (await auditor.post('/cases/search', { alias: 'Mai Nguyen' })).body;
    expect(auditorSearch).not.toContain('TKY-2025-0001');
    expect(auditorSearch).toContain('ケース番号で探す');
    expect(auditorSearch).not.toContain('name="alias"');
  });

  it('pages through 25 at a time', async () => {
    for (let i = 0; i < 30; i += 1)
      makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, code: `TKY-2024-${String(i + 1).padStart(4, '0')}` });
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const first = (await tokyo.get('/cases')).body;
    expect(first.match(/href="\/cases\/\d+"/g)).toHaveLength(25);
    expect(first).toContain('TKY-2024-0030');
    expect(first).toContain('href="/cases?page=2"');
    const second = (await tokyo.get('/cases?page=2')).body;
    expect(second.match(/href="\/cases\/\d+"/g)).toHaveLength(5);
    expect(second).toContain('TKY-2024-0001');
    expect(second).toContain('1 / 2 ページ'.replace('1', '2'));
  });
});
