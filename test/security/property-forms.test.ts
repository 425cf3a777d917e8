import fc from 'fast-check';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFormKey } from '../../server/domain/idempotency.js';
import { postMultipart } from '../helpers/multipart.js';
import { makeSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Any body a client can send to any POST route ends in a redirect or a 4xx, never a 500:
 * random keys (the forms' real field names among them, and prototype names), random values
 * (text in any script, control characters, arrays, nested objects), always with a valid CSRF
 * token so the request reaches the handler.
 */
const FIELD_NAMES = [
  'email',
  'password',
  'next',
  'locale',
  'currentPassword',
  'newPassword',
  'confirmPassword',
  'householdSize',
  'gender',
  'ageBand',
  'nationality',
  'residenceStatus',
  'prefecture',
  'alias',
  'contact',
  'notes',
  'status',
  'organizationId',
  'idempotencyKey',
  'caseId',
  'paidOn',
  'fundId',
  'method',
  'peopleCovered',
  'payee',
  'note',
  'lines',
  'version',
  'reason',
  'code',
  'name',
  'labelJa',
  'labelEn',
  'requiresNote',
  'direction',
  'budget',
  'startsOn',
  'endsOn',
  'displayName',
  'role',
  'isAdmin',
  'receipt',
];
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const RUNS_PER_ROUTE = 25;

let w: SecurityWorld;
beforeAll(async () => {
  w = await makeSecurityWorld();
});
afterAll(async () => w.ctx.close());

function arbitraries() {
  const r = w.records;
  const ids = [r.tokyoCase.id, r.osakaCase.id, r.pending.id, r.defaultFundId, r.spareFund.id, w.world.tokyo.id, w.world.office.id].map(String);
  const plausible = fc.constantFrom(
    '',
    '0',
    '1',
    '2',
    '-1',
    '1e3',
    '0x10',
    '12000',
    '１２，０００',
    '¥12,000',
    '12000.5',
    '9007199254740993',
    '2025-06-10',
    '2025-02-30',
    '2000-01-01',
    '9999-12-31',
    'cash',
    'food',
    'other',
    'approved',
    'open',
    'closed',
    'ja',
    'en',
    'on',
    'up',
    'down',
    'supporter',
    'coordinator',
    'auditor',
    'JP',
    'unknown',
    '13',
    'female',
    '18-29',
    'a long enough password',
    '\u0000',
    '\u200b\u200c',
    '\ud800',
    '=HYPERLINK("x")',
    'x'.repeat(5000),
    ...ids,
  );
  const leaf = fc.oneof(plausible, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.stringMatching(/^[A-Za-z0-9_-]{16,24}$/));
  const key = fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 12 })).filter((k) => k !== '_csrf');
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    ),
  }));
  const lines = fc.array(fc.record({ category: fc.oneof(fc.constantFrom('food', 'shelter', 'spare', 'nope'), leaf), amount: leaf }), { maxLength: 3 });
  const body = fc.array(fc.oneof(fc.tuple(key, value), fc.tuple(fc.constant('lines'), lines)), { maxLength: 12 });
  return { body, leaf, key };
}

/** A valid body for the route, so random changes to it reach past the first field check. */
function baseFor(url: string): Record<string, unknown> {
  const r = w.records;
  const disbursement = {
    paidOn: '2025-06-10',
    fundId: String(r.defaultFundId),
    method: 'cash',
    peopleCovered: '1',
    lines: [{ category: 'food', amount: '1000' }],
  };
  const bases: Record<string, Record<string, unknown>> = {
    '/login': { email: 'nobody@example.org', password: 'not the password' },
    '/account/locale': { locale: 'ja' },
    '/cases': { householdSize: '2', idempotencyKey: newFormKey() },
    '/cases/:id': { householdSize: '3', status: 'open' },
    '/disbursements': { ...disbursement, caseId: String(r.tokyoCase.id), idempotencyKey: newFormKey() },
    '/disbursements/:id': { ...disbursement, caseId: String(r.tokyoCase.id), version: '1' },
    '/disbursements/:id/approve': { version: '1' },
    '/disbursements/:id/withdraw': { version: '1' },
    '/disbursements/:id/reject': { version: '1', reason: 'duplicate' },
    '/disbursements/:id/void': { version: '1', reason: 'duplicate' },
    '/admin/organizations': { code: 'PQ', name: 'New group' },
    '/admin/organizations/:id': { name: 'Renamed group' },
    '/admin/users': {
      email: 'new@example.org',
      displayName: 'New',
      role: 'auditor',
      organizationId: String(w.world.office.id),
      password: 'a long enough password',
    },
    '/admin/users/:id/role': { role: 'supporter', organizationId: String(r.spareOrg.id) },
    '/admin/users/:id/password': { password: 'a long enough password' },
    '/admin/categories': { code: 'newcat', labelJa: '新', labelEn: 'New' },
    '/admin/categories/:id': { labelJa: '予備', labelEn: 'Spare' },
    '/admin/categories/:id/move': { direction: 'up' },
    '/admin/funds': { name: 'New fund' },
    '/admin/funds/:id': { name: 'Spare fund' },
    '/admin/period-locks': { startsOn: '2001-04-01', endsOn: '2002-03-31', note: 'FY2001' },
    '/admin/period-locks/:id/unlock': { reason: 'reopened' },
  };
  return { ...(bases[url] ?? {}) };
}

/** The body as urlencoded text: random pairs over the base (or over nothing), then the token. */
function encode(base: Record<string, unknown>, pairs: [string, unknown][], token: string): string {
  const body: Record<string, unknown> = { ...base };
  // defineProperty: a key named __proto__ stays an ordinary key, as it would in a parsed body.
  for (const [k, v] of pairs) Object.defineProperty(body, k, { value: v, enumerable: true, configurable: true, writable: true });
  const text = qs.stringify(body);
  return `${text}${text === '' ? '' : '&'}${qs.stringify({ _csrf: token })}`;
}

/** The concrete path: Tokyo's records, or spare ones an admin may change freely. */
function pathFor(url: string): string {
  const r = w.records;
  return url
    .replace(/^\/cases\/:id/, `/cases/${r.tokyoCase.id}`)
    .replace(/^\/disbursements\/:id/, `/disbursements/${r.pending.id}`)
    .replace(/^\/admin\/organizations\/:id/, `/admin/organizations/${r.spareOrg.id}`)
    .replace(/^\/admin\/users\/:id/, `/admin/users/${r.spareUser.id}`)
    .replace(/^\/admin\/categories\/:id/, `/admin/categories/${r.spareCategory.id}`)
    .replace(/^\/admin\/funds\/:id/, `/admin/funds/${r.spareFund.id}`)
    .replace(/^\/admin\/period-locks\/:id/, `/admin/period-locks/${r.lock.id}`);
}

/** POSTs that answer with a page rather than a redirect: a search (the name stays out of URLs) and the bulk result. */
const ANSWERS_WITH_A_PAGE = new Set(['/cases/search', '/review/approve']);
const answeredSafely = (status: number, url = '') => status === 303 || (status >= 400 && status < 500) || (status === 200 && ANSWERS_WITH_A_PAGE.has(url));

describe('random form bodies to every POST route', () => {
  it(`answer 303 or 4xx, never 500 (${RUNS_PER_ROUTE} bodies per route and actor)`, async () => {
    // Signing out would end the session the other runs use; it takes no input anyway.
    const routes = w.ctx.app.registeredRoutes.filter((route) => route.method === 'POST' && route.url !== '/logout');
    expect(routes.length).toBeGreaterThan(30);
    const { body } = arbitraries();
    for (const route of routes) {
      const path = pathFor(route.url);
      for (const actor of ['tokyo', 'admin'] as const) {
        const client = w.clients[actor];
        const token = await client.csrf('/account');
        await fc.assert(
          fc.asyncProperty(fc.boolean(), body, async (fromBase, pairs) => {
            const response = await w.ctx.app.inject({
              method: 'POST',
              url: path,
              payload: encode(fromBase ? baseFor(route.url) : {}, pairs, token),
              headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookieHeader() },
            });
            if (!answeredSafely(response.statusCode, route.url)) throw new Error(`POST ${path} as ${actor}: ${response.statusCode}`);
          }),
          { numRuns: RUNS_PER_ROUTE, seed: 20250615 + route.url.length },
        );
      }
    }
  }, 120_000);

  it('multipart bodies with random files to the upload routes answer 303 or 4xx', async () => {
    const { leaf, key } = arbitraries();
    const file = fc.record({
      name: fc.oneof(fc.constant('receipt'), key),
      filename: fc.oneof(fc.constantFrom('../../etc/passwd', 'C:\\x.png', 'a"b.jpg', '', 'receipt.pdf'), fc.string({ maxLength: 20 })),
      contentType: fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'text/html', 'application/octet-stream'),
      data: fc.oneof(
        fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        fc.constantFrom(Buffer.from('%PDF-1.4\n%garbage'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), Buffer.from('\x89PNG\r\n\x1a\n')),
      ),
    });
    const fields = fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELD_NAMES, 'lines[0][amount]', 'lines[0][category]'), key).filter((k) => k !== '_csrf' && k !== '__proto__'),
      leaf,
      { maxKeys: 8 },
    );
    const client = w.clients.tokyo;
    for (const url of ['/disbursements', `/disbursements/${w.records.pending.id}/receipts`]) {
      await fc.assert(
        fc.asyncProperty(fields, fc.array(file, { maxLength: 3 }), async (f, files) => {
          const response = await postMultipart(w.ctx.app, client, url, f as Record<string, string>, files);
          if (!answeredSafely(response.statusCode)) throw new Error(`POST ${url} multipart: ${response.statusCode}`);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20250616 },
      );
    }
  }, 60_000);
});
