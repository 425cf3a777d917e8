import { desc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, disbursements, organizations, receipts, users } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import type { TestClient } from '../helpers/client.js';
import { makeDisbursement } from '../helpers/money-factories.js';
import { postMultipart } from '../helpers/multipart.js';
import { makeSecurityWorld, rowCounts, tinyPng, type SecurityWorld } from './world.js';

/**
 * SPEC §3, §6, §8 against hostile input, one row per input. Each row names its answer: a defined
 * 4xx (and then no row anywhere moves), or a 303 with a documented normalization that `stored`
 * checks on the row written. Never a 500.
 */
interface HostileRow {
  name: string;
  send: () => Promise<LightMyRequestResponse>;
  status: number;
  /** For accepted input: the normalization, checked on what was stored. */
  stored?: (response: LightMyRequestResponse) => void;
  /** For refusals: the field the re-rendered form marks as wrong. */
  field?: string;
}

let w: SecurityWorld;
/** A pending record of its own, for rows that might decide it. */
let reasonTarget: number;
beforeAll(async () => {
  w = await makeSecurityWorld();
  reasonTarget = makeDisbursement(w.db, { caseId: w.records.tokyoCase.id, submittedBy: w.world.tokyoSupporter.id }).id;
});
afterAll(async () => w.ctx.close());

const tokyo = () => w.clients.tokyo;
const admin = () => w.clients.admin;
const LONG = 'あ'.repeat(10_000);

/** A valid new-disbursement form as the Tokyo supporter would send it, with `change` applied. */
function disbursementForm(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    caseId: String(w.records.tokyoCase.id),
    idempotencyKey: newFormKey(),
    paidOn: '2025-06-10',
    fundId: String(w.records.defaultFundId),
    method: 'cash',
    peopleCovered: '1',
    lines: [{ category: 'food', amount: '12000' }],
    // The same case is paid the same amount again and again here: past the duplicate warning.
    duplicateConfirmed: '1',
    ...change,
  };
}
const withAmount = (amount: unknown) => disbursementForm({ lines: [{ category: 'food', amount }] });
const caseForm = (change: Record<string, unknown> = {}) => ({ householdSize: '2', idempotencyKey: newFormKey(), ...change });

/** A body typed by hand (raw names, arrays, odd encodings), with the client's cookie. */
async function raw(
  client: TestClient,
  url: string,
  payload: string | Buffer,
  contentType = 'application/x-www-form-urlencoded',
  headers: Record<string, string> = {},
) {
  return w.ctx.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, cookie: client.cookieHeader(), ...headers } });
}
async function json(client: TestClient, url: string, body: Record<string, unknown>) {
  return raw(client, url, JSON.stringify({ _csrf: await client.csrf('/account'), ...body }), 'application/json');
}
const get = (client: TestClient, url: string) => client.get(url);

const latestDisbursement = () => w.db.select().from(disbursements).orderBy(desc(disbursements.id)).get()!;
const latestCase = () => w.db.select().from(cases).orderBy(desc(cases.id)).get()!;
const lineAmounts = (id: number) => w.db.$client.prepare('SELECT amount FROM disbursement_lines WHERE disbursement_id = ? ORDER BY position').pluck().all(id);
const createdAt = (response: LightMyRequestResponse) => Number(/^\/disbursements\/(\d+)$/.exec(String(response.headers.location))![1]);

const amountRows: HostileRow[] = [
  ...['1e3', '0x10', 'Infinity', '12000.5', 'NaN', '-0', '-12000', '9007199254740993', '１２０００．５', '12 000', '¥-1', '0012000'].map(
    (amount): HostileRow => ({
      name: `amount ${amount}`,
      send: () => tokyo().post('/disbursements', withAmount(amount)),
      status: 422,
      field: 'lines[0][amount]',
    }),
  ),
  {
    name: 'amount as an array (lines[0][amount][]=1)',
    send: async () =>
      raw(
        tokyo(),
        '/disbursements',
        `${qs.stringify(disbursementForm({ lines: [] }))}&_csrf=${await tokyo().csrf()}&lines[0][category]=food&lines[0][amount][]=1`,
      ),
    status: 422,
    field: 'lines[0][amount]',
  },
  {
    name: 'full-width amount １２，０００ is read as 12000',
    send: () => tokyo().post('/disbursements', withAmount('１２，０００')),
    status: 303,
    stored: (r) => expect(lineAmounts(createdAt(r))).toEqual([12000]),
  },
  {
    name: '21 lines',
    send: () => tokyo().post('/disbursements', disbursementForm({ lines: Array.from({ length: 21 }, () => ({ category: 'food', amount: '1' })) })),
    status: 422,
    field: 'lines',
  },
  { name: 'people covered 1e1', send: () => tokyo().post('/disbursements', disbursementForm({ peopleCovered: '1e1' })), status: 422, field: 'peopleCovered' },
  { name: 'method with a NUL byte', send: () => tokyo().post('/disbursements', disbursementForm({ method: 'cash\u0000' })), status: 422, field: 'method' },
];

const dateRows: HostileRow[] = ['2025-02-30', '2025-13-01', '0000-01-01', '9999-12-31', '2025-6-1', '2025-06-10T00:00', ''].map((paidOn) => ({
  name: `paid on "${paidOn}"`,
  send: () => tokyo().post('/disbursements', disbursementForm({ paidOn })),
  status: 422,
  field: 'paidOn',
}));

const textRows: HostileRow[] = [
  { name: '10,000-character payee', send: () => tokyo().post('/disbursements', disbursementForm({ payee: LONG })), status: 422, field: 'payee' },
  { name: '10,000-character note', send: () => tokyo().post('/disbursements', disbursementForm({ note: LONG })), status: 422, field: 'note' },
  { name: '10,000-character case alias', send: () => tokyo().post('/cases', caseForm({ alias: LONG })), status: 422, field: 'alias' },
  { name: '10,000-character case notes', send: () => tokyo().post('/cases', caseForm({ notes: LONG })), status: 422, field: 'notes' },
  { name: '10,000-character organization name', send: () => admin().post('/admin/organizations', { code: 'LNG', name: LONG }), status: 422, field: 'name' },
  {
    name: '10,000-character display name',
    send: () =>
      admin().post('/admin/users', {
        email: 'long@example.org',
        displayName: LONG,
        role: 'auditor',
        organizationId: String(w.world.office.id),
        password: 'a long enough password',
      }),
    status: 422,
    field: 'displayName',
  },
  {
    name: 'zero-width-only organization name',
    send: () => admin().post('/admin/organizations', { code: 'ZWS', name: '\u200b\u200c' }),
    status: 422,
    field: 'name',
  },
  {
    name: 'zero-width-only display name',
    send: () =>
      admin().post('/admin/users', {
        email: 'zw@example.org',
        displayName: '\u200b\u200c\u200d',
        role: 'auditor',
        organizationId: String(w.world.office.id),
        password: 'a long enough password',
      }),
    status: 422,
    field: 'displayName',
  },
  { name: 'zero-width-only fund name', send: () => admin().post('/admin/funds', { name: '\u200b\ufeff' }), status: 422, field: 'name' },
  {
    name: 'zero-width-only reject reason',
    send: () => admin().post(`/disbursements/${reasonTarget}/reject`, { version: '1', reason: '\u200b\u200c' }),
    status: 422,
    field: 'reason',
  },
  {
    name: 'lone surrogate in a payee (JSON body) is stored as U+FFFD',
    send: () => json(tokyo(), '/disbursements', disbursementForm({ payee: 'a\ud800b' })),
    status: 303,
    stored: (r) =>
      expect(
        w.db
          .select()
          .from(disbursements)
          .where(eq(disbursements.id, createdAt(r)))
          .get()!.payee,
      ).toBe('a\ufffdb'),
  },
  {
    name: 'zero-width characters at the edges are trimmed, inside a name they are kept (ZWNJ)',
    send: () => admin().post('/admin/organizations', { code: 'ZWNJ', name: '\u200b\ufeffمی\u200cخواهم\u200b' }),
    status: 303,
    stored: () => expect(w.db.select().from(organizations).where(eq(organizations.code, 'ZWNJ')).get()!.name).toBe('می\u200cخواهم'),
  },
  {
    name: 'a zero-width-only case alias is no alias',
    send: () => tokyo().post('/cases', caseForm({ alias: '\u200b\u200c', contact: '\u2060' })),
    status: 303,
    stored: () => expect(latestCase()).toMatchObject({ aliasEnc: null, contactEnc: null, aliasIndex: null }),
  },
  {
    name: 'control characters in an organization name',
    send: () => admin().post('/admin/organizations', { code: 'CTL', name: 'Group\u0000\u001b[31m' }),
    status: 422,
    field: 'name',
  },
  { name: 'control characters in a fund name', send: () => admin().post('/admin/funds', { name: 'Fund\u0007\u001b]0;x' }), status: 422, field: 'name' },
  {
    name: 'e-mail with a line break (header injection)',
    send: () =>
      admin().post('/admin/users', {
        email: 'a@example.org\r\nBcc: b@example.org',
        displayName: 'A',
        role: 'auditor',
        organizationId: String(w.world.office.id),
        password: 'a long enough password',
      }),
    status: 422,
    field: 'email',
  },
  { name: 'household size 1e1', send: () => tokyo().post('/cases', caseForm({ householdSize: '1e1' })), status: 422, field: 'householdSize' },
  { name: 'household size 0x10', send: () => tokyo().post('/cases', caseForm({ householdSize: '0x10' })), status: 422, field: 'householdSize' },
  { name: 'nationality not in the list (XX)', send: () => tokyo().post('/cases', caseForm({ nationality: 'XX' })), status: 422, field: 'nationality' },
  {
    name: 'category code __proto__',
    send: () => admin().post('/admin/categories', { code: '__proto__', labelJa: 'x', labelEn: 'x' }),
    status: 422,
    field: 'code',
  },
  { name: 'fund budget 1e3', send: () => admin().post('/admin/funds', { name: 'Budget fund', budget: '1e3' }), status: 422, field: 'budget' },
  { name: 'fund starting 2025-02-30', send: () => admin().post('/admin/funds', { name: 'Date fund', startsOn: '2025-02-30' }), status: 422, field: 'startsOn' },
  {
    name: 'period lock 2025-13-01..',
    send: () => admin().post('/admin/period-locks', { startsOn: '2025-13-01', endsOn: '2025-13-31', note: 'x' }),
    status: 422,
    field: 'startsOn',
  },
  {
    name: 'period lock ending 9999-12-31',
    send: () => admin().post('/admin/period-locks', { startsOn: '2024-04-01', endsOn: '9999-12-31', note: 'x' }),
    status: 422,
    field: 'endsOn',
  },
  { name: 'locale as an array', send: async () => raw(tokyo(), '/account/locale', `_csrf=${await tokyo().csrf()}&locale[]=en`), status: 422, field: 'locale' },
  {
    name: '10,000-character e-mail at sign-in',
    send: () => w.clients.signedOut.post('/login', { email: `${LONG}@example.org`, password: 'x' }),
    status: 422,
    field: 'email',
  },
];

const extraFieldRows: HostileRow[] = [
  {
    name: 'extra fields on create (status, organizationId, submittedBy, version, id) are ignored',
    send: () =>
      tokyo().post(
        '/disbursements',
        disbursementForm({ status: 'approved', organizationId: String(w.world.osaka.id), submittedBy: String(w.world.admin.id), version: '999', id: '999999' }),
      ),
    status: 303,
    stored: (r) => {
      const row = latestDisbursement();
      expect(row.id).toBe(createdAt(r));
      expect(row).toMatchObject({ status: 'pending', organizationId: w.world.tokyo.id, submittedBy: w.world.tokyoSupporter.id, version: 1, decidedBy: null });
      expect(row.id).not.toBe(999999);
    },
  },
  {
    name: '__proto__ and constructor[prototype] keys are dropped, nothing polluted',
    send: async () =>
      raw(
        tokyo(),
        '/disbursements',
        `${qs.stringify({ _csrf: await tokyo().csrf(), ...disbursementForm() })}&__proto__[status]=approved&constructor[prototype][isAdmin]=1&lines[__proto__][amount]=1`,
      ),
    status: 303,
    stored: () => {
      expect(latestDisbursement().status).toBe('pending');
      expect(({} as Record<string, unknown>).status).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    },
  },
  { name: '__proto__ key in a JSON body', send: () => raw(tokyo(), '/disbursements', '{"__proto__":{"status":"approved"}}', 'application/json'), status: 400 },
  {
    name: 'a supporter naming another group on a new case gets a case of their own group',
    send: () => tokyo().post('/cases', caseForm({ organizationId: String(w.world.osaka.id), status: 'closed' })),
    status: 303,
    stored: () => expect(latestCase()).toMatchObject({ organizationId: w.world.tokyo.id, status: 'open' }),
  },
  { name: "another group's caseId", send: () => tokyo().post('/disbursements', disbursementForm({ caseId: String(w.records.osakaCase.id) })), status: 404 },
  { name: 'a fund that does not exist', send: () => tokyo().post('/disbursements', disbursementForm({ fundId: '999999' })), status: 422, field: 'fundId' },
  { name: "editing another group's case", send: () => tokyo().post(`/cases/${w.records.osakaCase.id}`, { householdSize: '1', status: 'open' }), status: 404 },
  { name: 'approve with version 1e0', send: () => admin().post(`/disbursements/${w.records.pending.id}/approve`, { version: '1e0' }), status: 400 },
  {
    name: 'approve with version as an array',
    send: async () => raw(admin(), `/disbursements/${w.records.pending.id}/approve`, `_csrf=${await admin().csrf()}&version[]=1`),
    status: 400,
  },
  { name: 'a path id like 0x10', send: () => get(tokyo(), '/disbursements/0x10'), status: 404 },
  { name: 'a path id past 32 bits', send: () => get(tokyo(), '/cases/99999999999'), status: 404 },
];

const csrfRows: HostileRow[] = [
  {
    name: 'CSRF token only in the URL',
    send: async () => raw(tokyo(), `/account/locale?_csrf=${encodeURIComponent(await tokyo().csrf())}`, 'locale=en'),
    status: 403,
  },
  {
    name: 'CSRF token only in a header',
    send: async () => raw(tokyo(), '/account/locale', 'locale=en', undefined, { 'csrf-token': await tokyo().csrf(), 'x-csrf-token': await tokyo().csrf() }),
    status: 403,
  },
  {
    name: "another user's CSRF token",
    send: async () => tokyo().post('/disbursements', disbursementForm(), { csrf: await w.clients.osaka.csrf() }),
    status: 403,
  },
  {
    name: 'a signed-out CSRF token with a session',
    send: async () => tokyo().post('/account/locale', { locale: 'en' }, { csrf: await w.clients.signedOut.csrf() }),
    status: 403,
  },
  {
    name: 'session token in the query string is ignored',
    send: () => w.ctx.app.inject({ method: 'GET', url: `/cases?sid=${encodeURIComponent(tokyo().cookie('sid')!)}` }),
    status: 303,
    stored: (r) => expect(r.headers.location).toMatch(/^\/login\?next=/),
  },
];

const uploadRows: HostileRow[] = [
  {
    name: 'a text file named receipt.png, declared image/png',
    send: () =>
      postMultipart(w.ctx.app, tokyo(), `/disbursements/${w.records.pending.id}/receipts`, {}, [
        { name: 'receipt', filename: 'receipt.png', contentType: 'image/png', data: Buffer.from('not a picture at all') },
      ]),
    status: 422,
    field: 'receipt',
  },
  {
    name: 'an HTML page declared image/jpeg',
    send: () =>
      postMultipart(w.ctx.app, tokyo(), `/disbursements/${w.records.pending.id}/receipts`, {}, [
        { name: 'receipt', filename: 'x.jpg', contentType: 'image/jpeg', data: Buffer.from('<!doctype html><script>alert(1)</script>') },
      ]),
    status: 422,
    field: 'receipt',
  },
  {
    name: 'a real PNG named ../../etc/passwd is stored under a generated name',
    send: async () =>
      postMultipart(w.ctx.app, tokyo(), `/disbursements/${w.records.pending.id}/receipts`, {}, [
        { name: 'receipt', filename: '../../etc/passwd', contentType: 'text/plain', data: await tinyPng() },
      ]),
    status: 303,
    stored: () => {
      const latest = w.db.select().from(receipts).orderBy(desc(receipts.id)).get()!;
      expect(latest.storageName).toMatch(/^[0-9a-f]{32}\.png$/);
      expect(latest.mediaType).toBe('image/png');
    },
  },
  {
    name: 'a receipt over 10 MB',
    send: () =>
      postMultipart(w.ctx.app, tokyo(), `/disbursements/${w.records.pending.id}/receipts`, {}, [
        { name: 'receipt', filename: 'big.pdf', data: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25) },
      ]),
    status: 413,
  },
  {
    name: 'a form body over the form limit',
    send: async () => raw(tokyo(), '/disbursements', `_csrf=${await tokyo().csrf()}&note=${'a'.repeat(300_000)}`),
    status: 413,
  },
  { name: 'a JSON body over the body limit', send: () => json(tokyo(), '/disbursements', { note: 'a'.repeat(1_100_000) }), status: 413 },
];

const queryRows: HostileRow[] = [
  ...[
    'from=2025-02-30&to=2025-03-31',
    'from=2025-07-01&to=2025-06-01',
    'org=abc',
    'org=1&org=2',
    'fund=-1',
    'from[]=2025-01-01&to=2025-01-31',
    'preset=FY99999',
    'includePending=yes',
    `from=${'9'.repeat(100)}&to=2025-01-01`,
  ].flatMap((q) => [
    { name: `report page ?${q}`, send: () => get(admin(), `/reports?${q}`), status: 400 },
    { name: `summary.json ?${q}`, send: () => get(admin(), `/reports/summary.json?${q}`), status: 400 },
  ]),
  { name: 'ledger.csv ?from=0000-01-01&to=2025-01-01', send: () => get(admin(), '/reports/ledger.csv?from=0000-01-01&to=2025-01-01'), status: 400 },
  { name: 'case list ?page=0', send: () => get(tokyo(), '/cases?page=0'), status: 400 },
  { name: 'case list with a 10,000-character search', send: () => get(tokyo(), `/cases?q=${'x'.repeat(10_000)}`), status: 400 },
  { name: 'review ?org=abc', send: () => get(admin(), '/review?org=abc'), status: 400 },
  { name: 'audit ?from=2025-02-30', send: () => get(admin(), '/audit?from=2025-02-30'), status: 400 },
  { name: 'audit ?from after to', send: () => get(admin(), '/audit?from=2025-07-01&to=2025-06-01'), status: 400 },
  { name: 'new disbursement ?case=1e3', send: () => get(tokyo(), '/disbursements/new?case=1e3'), status: 400 },
  { name: 'new disbursement ?case=1&case=2', send: () => get(tokyo(), '/disbursements/new?case=1&case=2'), status: 400 },
  {
    name: 'sign-in ?next=//evil.example lands at home',
    send: () => w.clients.signedOut.get('/login?next=//evil.example'),
    status: 200,
    stored: (r) => {
      // Neither the sign-in form nor the language menu carries it on, and nothing links there.
      expect(r.body).not.toMatch(/name="next" value="[^"]*evil/);
      expect(r.body).not.toMatch(/(href|action)="[^"]*evil/);
      expect(r.body).toContain('name="return" value="/login"');
      expect(r.body).not.toContain('evil');
    },
  },
];

const ROWS = [...amountRows, ...dateRows, ...textRows, ...extraFieldRows, ...csrfRows, ...uploadRows, ...queryRows];

describe('hostile input', () => {
  it('has at least 45 rows', () => expect(ROWS.length).toBeGreaterThanOrEqual(45));

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = rowCounts(w.db);
    const response = await row.send();
    expect(response.statusCode, response.body.slice(0, 300)).toBe(row.status);
    if (row.status >= 400) expect(rowCounts(w.db)).toEqual(before);
    // The field is marked: a link in the error summary, or a message beside it.
    const id = row.field ? `f-${row.field.replace(/[^A-Za-z0-9_-]/g, '-')}` : '';
    if (row.field) expect(response.body.includes(`href="#${id}"`) || response.body.includes(`id="${id}-error"`), `${id} marked`).toBe(true);
    row.stored?.(response);
  });
});

/** The cells of a CSV body (RFC 4180: quotes doubled inside quoted cells). */
function csvCells(body: string): string[] {
  return [...body.replace(/^\ufeff/, '').matchAll(/(?:^|,|\r\n)("(?:[^"]|"")*"|[^,\r\n]*)/g)].map((m) => {
    const cell = m[1] ?? '';
    return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
  });
}

describe('CSV formula payloads in text that reaches the ledger', () => {
  it('are written as text (leading quote) in ledger.csv, in both languages; payee never reaches it', async () => {
    const payloads = { org: '=HYPERLINK("http://evil.example","x")', fund: '+SUM(1,2)', labelJa: '@SUM(A1)', labelEn: '-2+3' };
    expect((await admin().post(`/admin/organizations/${w.world.tokyo.id}`, { name: payloads.org, prefecture: '' })).statusCode).toBe(303);
    expect((await admin().post(`/admin/funds/${w.records.defaultFundId}`, { name: payloads.fund })).statusCode).toBe(303);
    const food = w.db.$client.prepare("SELECT id FROM categories WHERE code = 'food'").pluck().get() as number;
    expect((await admin().post(`/admin/categories/${food}`, { labelJa: payloads.labelJa, labelEn: payloads.labelEn })).statusCode).toBe(303);
    expect(w.db.select().from(organizations).where(eq(organizations.id, w.world.tokyo.id)).get()!.name).toBe(payloads.org);
    const pay = await tokyo().post('/disbursements', disbursementForm({ payee: "=cmd|' /C calc'!A0", note: '@SUM(1)' }));
    expect(pay.statusCode).toBe(303);

    for (const lang of ['ja', 'en'] as const) {
      expect((await admin().post('/account/locale', { locale: lang })).statusCode).toBe(303);
      const csv = await admin().get('/reports/ledger.csv?from=2025-06-01&to=2025-06-30&includePending=1');
      expect(csv.statusCode).toBe(200);
      const cells = csvCells(csv.body);
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
      expect(cells).toContain(`'${payloads.org}`);
      expect(cells).toContain(`'${payloads.fund}`);
      expect(cells).toContain(lang === 'ja' ? `'${payloads.labelJa}` : `'${payloads.labelEn}`);
      expect(csv.body).not.toContain('calc');
    }
    expect(w.db.select().from(users).where(eq(users.id, w.world.admin.id)).get()!.locale).toBe('en');
  });
});
