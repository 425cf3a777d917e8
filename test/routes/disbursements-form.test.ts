import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, categories, disbursementLines, disbursements, periodLocks } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { translator } from '../../server/i18n/index.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase } from '../helpers/money-factories.js';

const ja = translator('ja');
let ctx: TestContext;
let client: TestClient;
let caseId: number;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 4 }).id;
  client = await signedIn(ctx.app, world.tokyoSupporter);
});
afterEach(async () => ctx.close());

type Line = { category: unknown; amount: unknown };
function form(
  overrides: Record<string, unknown> = {},
  lines: Line[] = [
    { category: 'shelter', amount: '30,000' },
    { category: 'food', amount: '１２，０００' },
  ],
) {
  return {
    caseId: String(caseId),
    idempotencyKey: newFormKey(),
    paidOn: '2025-06-10',
    fundId: String(defaultFundId(ctx.db)),
    method: 'cash',
    peopleCovered: '2',
    payee: '',
    note: '',
    lines,
    ...overrides,
  };
}
const rowCount = () => ctx.db.select().from(disbursements).all().length;
/** The value attribute of a named input in the page, as the browser would read it. */
function inputValue(html: string, name: string): string | null {
  const escaped = name.replace(/[[\]]/g, '\\$&');
  const m = new RegExp(`name="${escaped}"[^>]*value="([^"]*)"`).exec(html);
  if (!m) return null;
  return m[1]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

describe('the new disbursement form', () => {
  it('shows defaults: today in Tokyo, the only fund named, the household size, one empty row, a one-time key', async () => {
    ctx.clock.set('2025-06-15T16:30:00Z'); // already the 16th in Tokyo
    client = await signedIn(ctx.app, world.tokyoSupporter);
    const page = await client.get(`/disbursements/new?case=${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(inputValue(page.body, 'paidOn')).toBe('2025-06-16');
    expect(inputValue(page.body, 'peopleCovered')).toBe('4');
    // One active fund: named on the form, not a choice (disbursement-form-phones.test.ts has several).
    expect(inputValue(page.body, 'fundId')).toBe(String(defaultFundId(ctx.db)));
    expect(inputValue(page.body, 'lines[0][amount]')).toBe('');
    // Further rows only for a browser without the script (inside <noscript>).
    expect(inputValue(page.body.slice(0, page.body.indexOf('<noscript>')), 'lines[1][amount]')).toBeNull();
    expect(inputValue(page.body, 'lines[3][amount]')).toBeNull();
    expect(inputValue(page.body, 'idempotencyKey')).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('<script src="/assets/disbursement-form.js" defer></script>');
    expect(page.body).toContain('name="receipt"');
  });

  it('answers 400 to a malformed case parameter and 404 to a missing or closed case', async () => {
    expect((await client.get('/disbursements/new?case=abc')).statusCode).toBe(400);
    // Without a case the form first asks which one (issue 13: 「支給を記録」 opens a case picker).
    expect((await client.get('/disbursements/new')).statusCode).toBe(200);
    expect((await client.get('/disbursements/new?case=99999')).statusCode).toBe(404);
    ctx.db.$client.prepare("UPDATE cases SET status = 'closed', closed_on = '2025-06-01' WHERE id = ?").run(caseId);
    expect((await client.get(`/disbursements/new?case=${caseId}`)).statusCode).toBe(404);
  });

  it('creates the disbursement, its lines with the parent columns, and the audit event', async () => {
    const response = await client.post('/disbursements', form({ payee: '大家 さん', note: '6月分' }));
    expect(response.statusCode).toBe(303);
    const [row] = ctx.db.select().from(disbursements).all();
    expect(response.headers.location).toBe(`/disbursements/${row!.id}`);
    expect(row).toMatchObject({
      caseId,
      organizationId: world.tokyo.id,
      paidOn: '2025-06-10',
      method: 'cash',
      peopleCovered: 2,
      payee: '大家 さん',
      status: 'pending',
      submittedBy: world.tokyoSupporter.id,
    });
    const lines = ctx.db.select().from(disbursementLines).where(eq(disbursementLines.disbursementId, row!.id)).all();
    expect(lines.map((l) => [l.position, l.amount, l.status, l.paidOn, l.organizationId, l.caseId])).toEqual([
      [0, 30000, 'pending', '2025-06-10', world.tokyo.id, caseId],
      [1, 12000, 'pending', '2025-06-10', world.tokyo.id, caseId],
    ]);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'disbursement.created')).get()!;
    expect(event.entityId).toBe(String(row!.id));
    expect(JSON.parse(event.after!)).toMatchObject({
      total: 42000,
      hasPayee: true,
      lines: [
        { category: 'shelter', amount: 30000 },
        { category: 'food', amount: 12000 },
      ],
    });
    expect(event.after).not.toContain('大家');
    const show = await client.get(response.headers.location as string);
    expect(show.body).toContain('¥42,000');
    expect(show.body).toContain('承認待ち');
  });

  it('reads lines sent as an index-keyed object, skips empty rows, and refuses no lines or more than 20', async () => {
    const raw = (extra: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/disbursements',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookieHeader() },
        payload: extra,
      });
    const token = await client.csrf('/account');
    const base = `_csrf=${encodeURIComponent(token)}&caseId=${caseId}&paidOn=2025-06-10&fundId=${defaultFundId(ctx.db)}&method=cash&peopleCovered=1`;
    const ok = await raw(
      `${base}&idempotencyKey=${newFormKey()}&lines[0][category]=food&lines[0][amount]=1000&lines[1][category]=&lines[1][amount]=&lines[150][category]=shelter&lines[150][amount]=2000`,
    );
    expect(ok.statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(disbursementLines)
        .all()
        .map((l) => l.amount),
    ).toEqual([1000, 2000]);
    const none = await raw(`${base}&idempotencyKey=${newFormKey()}&lines[0][category]=&lines[0][amount]=`);
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain(ja('disbursements.linesRequired'));
    const many = Array.from({ length: 21 }, (_, i) => `lines[${i}][category]=food&lines[${i}][amount]=100`).join('&');
    const tooMany = await raw(`${base}&idempotencyKey=${newFormKey()}&${many}`);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain(ja('disbursements.tooManyLines'));
    expect(inputValue(tooMany.body, 'lines[20][amount]')).toBe('100');
    expect(rowCount()).toBe(1);
  });
});

describe('amounts (SPEC §3)', () => {
  const accepted = ['12000', '12,000', '¥12,000', '12000円', '１２，０００', '￥１２，０００', '１２０００円'];
  it.each(accepted)('accepts %j as ¥12,000', async (typed) => {
    const response = await client.post('/disbursements', form({}, [{ category: 'food', amount: typed }]));
    expect(response.statusCode).toBe(303);
    expect(ctx.db.select().from(disbursementLines).get()!.amount).toBe(12000);
  });

  const refused: [string, string][] = [
    ['', 'money.required'],
    [' ', 'money.required'],
    ['12000.5', 'money.invalid'],
    ['-5', 'money.invalid'],
    ['+5', 'money.invalid'],
    ['1e5', 'money.invalid'],
    ['0x10', 'money.invalid'],
    ['Infinity', 'money.invalid'],
    ['12 000', 'money.invalid'],
    ['1,2000', 'money.invalid'],
    ['abc', 'money.invalid'],
    ['0', 'money.tooSmall'],
    ['10000001', 'money.tooLarge'],
  ];
  it.each(refused)('refuses %j with its message, keeping everything typed', async (typed, key) => {
    const sent = form({ payee: 'Clinic <A&B>' }, [
      { category: 'shelter', amount: '30,000' },
      { category: 'food', amount: typed },
    ]);
    const response = await client.post('/disbursements', sent);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`<p class="error" id="f-lines-1--amount--error">${ja(key)}</p>`);
    expect(response.body).toContain('href="#f-lines-1--amount-"');
    expect(inputValue(response.body, 'lines[1][amount]')).toBe(typed);
    expect(inputValue(response.body, 'lines[0][amount]')).toBe('30,000');
    expect(inputValue(response.body, 'payee')).toBe('Clinic <A&B>');
    expect(inputValue(response.body, 'idempotencyKey')).toBe(sent.idempotencyKey);
    expect(rowCount()).toBe(0);
  });

  it('refuses an array value', async () => {
    const response = await client.post('/disbursements', form({}, [{ category: 'food', amount: ['1000', '2000'] }]));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(ja('money.invalid'));
    expect(rowCount()).toBe(0);
  });
});

describe('dates, people, categories (SPEC §3)', () => {
  const dates: [string, string][] = [
    ['2025-06-16', 'disbursements.paidOnFuture'],
    ['1999-12-31', 'disbursements.paidOnTooEarly'],
    ['2025-02-30', 'disbursements.paidOnNotADate'],
    ['abc', 'disbursements.paidOnFormat'],
  ];
  it.each(dates)('refuses the date %j', async (typed, key) => {
    const response = await client.post('/disbursements', form({ paidOn: typed }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`<p class="error" id="f-paidOn-error">${ja(key)}</p>`);
    expect(inputValue(response.body, 'paidOn')).toBe(typed);
    expect(rowCount()).toBe(0);
  });

  it('accepts today in Tokyo', async () => {
    expect((await client.post('/disbursements', form({ paidOn: '2025-06-15' }))).statusCode).toBe(303);
  });

  it('refuses a date inside a locked period with 422 beside the date, not a 409 page', async () => {
    ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2025-04-01', endsOn: '2025-05-31', note: 'FY2025 Q1', lockedBy: world.admin.id, lockedAt: '2025-06-01T00:00:00Z' })
      .run();
    const response = await client.post('/disbursements', form({ paidOn: '2025-05-10' }));
    expect(response.statusCode).toBe(422);
    const message = ja('errors.periodLocked', { from: '2025-04-01', to: '2025-05-31', note: 'FY2025 Q1' });
    expect(response.body).toContain(`<p class="error" id="f-paidOn-error">${message}</p>`);
    expect(inputValue(response.body, 'paidOn')).toBe('2025-05-10');
    expect(inputValue(response.body, 'lines[1][amount]')).toBe('１２，０００');
    expect(rowCount()).toBe(0);
    // an unlocked period no longer blocks
    ctx.db.$client.prepare("UPDATE period_locks SET unlocked_at = '2025-06-02', unlocked_by = ?, unlock_reason = 'fix'").run(world.admin.id);
    expect((await client.post('/disbursements', form({ paidOn: '2025-05-10' }))).statusCode).toBe(303);
  });

  it('needs a note for a line in the category other', async () => {
    const without = await client.post('/disbursements', form({}, [{ category: 'other', amount: '500' }]));
    expect(without.statusCode).toBe(422);
    expect(without.body).toContain(ja('disbursements.noteRequired', { category: 'その他' }));
    expect(rowCount()).toBe(0);
    expect((await client.post('/disbursements', form({ note: '文房具' }, [{ category: 'other', amount: '500' }]))).statusCode).toBe(303);
  });

  it.each([
    ['0', 'disbursements.peopleMin', {}],
    ['5', 'disbursements.peopleOverHousehold', { household: 4 }],
    ['two', 'disbursements.peopleInvalid', {}],
  ] as const)('refuses %j people covered', async (typed, key, params) => {
    const response = await client.post('/disbursements', form({ peopleCovered: typed }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`<p class="error" id="f-peopleCovered-error">${ja(key, params)}</p>`);
    expect(inputValue(response.body, 'peopleCovered')).toBe(typed);
    expect(rowCount()).toBe(0);
  });

  it('accepts exactly the household size, typed full-width', async () => {
    expect((await client.post('/disbursements', form({ peopleCovered: '４' }))).statusCode).toBe(303);
    expect(ctx.db.select().from(disbursements).get()!.peopleCovered).toBe(4);
  });

  it('refuses a retired category, an unknown one, an unknown method and an inactive fund', async () => {
    ctx.db.update(categories).set({ isActive: false }).where(eq(categories.code, 'tuition')).run();
    const retired = await client.post(
      '/disbursements',
      form({}, [
        { category: 'tuition', amount: '1000' },
        { category: 'nosuch', amount: '1000' },
      ]),
    );
    expect(retired.statusCode).toBe(422);
    expect(retired.body).toContain(`<p class="error" id="f-lines-0--category--error">${ja('disbursements.categoryRetired')}</p>`);
    expect(retired.body).toContain(`<p class="error" id="f-lines-1--category--error">${ja('validation.invalidChoice')}</p>`);
    // the retired category stays selected so nothing typed is lost
    expect(retired.body).toMatch(/<option value="tuition" selected>/);
    const method = await client.post('/disbursements', form({ method: 'bitcoin' }));
    expect(method.statusCode).toBe(422);
    expect(method.body).toContain(`<p class="error" id="f-method-error">${ja('validation.invalidChoice')}</p>`);
    ctx.db.$client.prepare('UPDATE funds SET is_active = 0').run();
    const fund = await client.post('/disbursements', form());
    expect(fund.statusCode).toBe(422);
    expect(fund.body).toContain(`<p class="error" id="f-fundId-error">${ja('validation.invalidChoice')}</p>`);
    expect(rowCount()).toBe(0);
  });

  it('lists every problem in the summary at the top, linking to its field', async () => {
    const response = await client.post('/disbursements', form({ paidOn: '2025-02-30', method: '' }, [{ category: '', amount: '5' }]));
    expect(response.statusCode).toBe(422);
    const summary = response.body.slice(response.body.indexOf('class="error-summary"'), response.body.indexOf('<form method="post" action="/disbursements"'));
    for (const id of ['f-paidOn', 'f-method', 'f-lines-0--category-']) {
      expect(summary).toContain(`href="#${id}"`);
      expect(response.body).toContain(`id="${id}"`);
    }
  });
});
