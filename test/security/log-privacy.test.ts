import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase } from '../helpers/money-factories.js';
import { createCaseVia } from '../routes/case-test-helpers.js';

/**
 * SPEC §8: identifying fields never reach a log line. The supporter's and the coordinator's
 * journeys run against an app logging at trace level into a captured stream; none of the
 * identity strings (nor their URL-encoded forms) may appear in any line.
 */
const ALIAS = 'Xq7alias Mai';
const CONTACT = '090-7777-4321';
const NOTES = 'Zk9note lives near the station';
const MARKERS = ['Xq7alias', '7777-4321', 'Zk9note'];

const lines: string[] = [];
let ctx: TestContext;
let app: FastifyInstance;
let db: Db;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  ctx = await buildTestApp({ logLines: lines });
  ({ app, db } = ctx);
  world = await makeWorld(db);
});
afterAll(async () => ctx.close());

/** Submit the case list's search form the way a browser would: its own method and action. */
async function searchAsBrowser(client: TestClient, term: string) {
  // The alias search is its own form, sent by POST, so the name never sits in a URL.
  const page = await client.get('/cases');
  expect(page.body, 'the case list has an alias search form').toMatch(/<form method="post" action="\/cases\/search"/);
  expect(page.body).toContain('name="alias"');
  return client.post('/cases/search', { alias: term });
}

const leaks = () => lines.filter((line) => MARKERS.some((m) => line.includes(m)));

describe('identity never reaches a log line', () => {
  it('through the supporter and coordinator journeys at LOG_LEVEL=trace', async () => {
    const supporter = await signedIn(app, world.tokyoSupporter);
    const caseId = await createCaseVia(supporter, { alias: ALIAS, contact: CONTACT, notes: NOTES });
    // A form shown again with the identity fields typed in (household size missing).
    const again = await supporter.post('/cases', { householdSize: '', alias: ALIAS, contact: CONTACT, notes: NOTES, idempotencyKey: newFormKey() });
    expect(again.statusCode).toBe(422);

    const found = await searchAsBrowser(supporter, ALIAS);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`href="/cases/${caseId}"`);
    expect((await supporter.get(`/cases/${caseId}`)).body).toContain(ALIAS);
    expect((await supporter.get(`/cases/${caseId}/edit`)).statusCode).toBe(200);
    expect((await supporter.post(`/cases/${caseId}`, { householdSize: '3', alias: ALIAS, contact: CONTACT, notes: NOTES, status: 'open' })).statusCode).toBe(
      303,
    );

    const created = await supporter.post('/disbursements', {
      caseId: String(caseId),
      idempotencyKey: newFormKey(),
      paidOn: '2025-06-10',
      fundId: String(defaultFundId(db)),
      method: 'cash',
      peopleCovered: '3',
      lines: [{ category: 'food', amount: '5000' }],
    });
    expect(created.statusCode).toBe(303);
    const disbursementUrl = String(created.headers.location);
    expect((await supporter.get(disbursementUrl)).statusCode).toBe(200);

    const coordinator = await signedIn(app, world.coordinator);
    expect((await searchAsBrowser(coordinator, ALIAS)).body).toContain(`href="/cases/${caseId}"`);
    // Coordinators see identity only with a reason (issue 18): the reveal's answer must not reach a log either.
    expect((await coordinator.get(`/cases/${caseId}`)).body).not.toContain(CONTACT);
    expect((await coordinator.post(`/cases/${caseId}/reveal`, { reason: 'review', reasonText: '支給の審査' })).body).toContain(CONTACT);
    expect((await coordinator.get('/review')).statusCode).toBe(200);
    expect((await coordinator.post(`${disbursementUrl}/approve`, { version: '1' })).statusCode).toBe(303);

    // A term typed into the address bar by hand is still kept out of the log.
    expect((await supporter.get(`/cases?q=${encodeURIComponent(ALIAS)}`)).statusCode).toBe(200);
    // Signed out: the page to come back to is kept, the term is not.
    const signedOut = await new TestClient(app).get(`/cases?q=${encodeURIComponent(ALIAS)}&page=1`);
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe(`/login?next=${encodeURIComponent('/cases?page=1')}`);

    expect(lines.some((l) => l.includes('"msg":"incoming request"') && l.includes('/cases'))).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it('an alias is found only through the POST search, never through ?q=', async () => {
    const supporter = await signedIn(app, world.tokyoSupporter);
    const caseId = await createCaseVia(supporter, { alias: 'Only By Post' });
    expect((await supporter.get(`/cases?q=${encodeURIComponent('Only By Post')}`)).body).not.toContain(`href="/cases/${caseId}"`);
    expect((await supporter.post('/cases/search', { alias: 'Only By Post' })).body).toContain(`href="/cases/${caseId}"`);
    expect((await supporter.post('/cases/search', { alias: ['a', 'b'] })).statusCode).toBe(400);
  });

  it('a list found by alias carries the term in no link (no pager, no query string)', async () => {
    // In the office's numbering, which the form-made Tokyo cases above do not share.
    for (let i = 1; i <= 30; i += 1)
      makeCase(db, { organizationId: world.office.id, createdBy: world.coordinator.id, code: `TKY-2019-${String(i).padStart(4, '0')}` });
    const coordinator = await signedIn(app, world.coordinator);
    const found = await coordinator.post('/cases/search', { alias: 'ZQX-Secret Name', q: 'TKY-2019' });
    expect(found.statusCode).toBe(200);
    const hrefs = found.body.match(/href="[^"]*"/g) ?? [];
    expect(hrefs.filter((h) => h.includes('ZQX') || h.includes('alias='))).toEqual([]);
  });
});
