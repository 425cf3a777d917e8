import { ACTORS, actorOf, makeSecurityWorld, rowCounts, type ActorName, type SecurityWorld } from './world.js';
import type { LightMyRequestResponse } from 'fastify';
import { funds } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { applyToRound } from '../../server/domain/round-applications.js';
import { createRound } from '../../server/domain/rounds.js';
import { createShareLink } from '../../server/domain/share-links.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SPEC §5 walked route by route: every registered route, tried as each role and as a supporter of
 * another group. One table holds every expectation; a route missing from it fails the sweep, so a
 * new route cannot ship without someone deciding who may use it.
 *
 * ok        2xx, or 303 anywhere but the sign-in prompt (signing out lands on /login?loggedOut=1)
 * login     303 to /login or /login?next=… (signed out)
 * forbidden 403 (role may not)
 * notFound  404 (another group's record: the same answer as a missing one)
 * invalid   400/422: allowed, but the empty or minimal body is refused before any write
 * conflict  409: allowed, but not from the record's state (void of a pending record)
 */
type Outcome = 'ok' | 'login' | 'forbidden' | 'notFound' | 'invalid' | 'conflict';
type Row = Record<ActorName, Outcome>;

const row = (signedOut: Outcome, tokyo: Outcome, osaka: Outcome, auditor: Outcome, coordinator: Outcome, admin: Outcome): Row => ({
  signedOut,
  tokyo,
  osaka,
  auditor,
  coordinator,
  admin,
});
const everyone = (o: Outcome) => row(o, o, o, o, o, o);
/** Protected routes: the signed-out visitor always goes to the sign-in page. */
const signedIn = (tokyo: Outcome, osaka: Outcome, auditor: Outcome, coordinator: Outcome, admin: Outcome) =>
  row('login', tokyo, osaka, auditor, coordinator, admin);
const allSignedIn = (o: Outcome) => signedIn(o, o, o, o, o);
const adminOnly = (o: Outcome) => signedIn('forbidden', 'forbidden', 'forbidden', 'forbidden', o);

//                                                      tokyo        osaka       auditor      coordinator  admin
const EXPECTED: Record<string, Row> = {
  'GET /healthz': everyone('ok'),
  'GET /metrics': everyone('notFound'),
  'GET /login': everyone('ok'),
  'GET /sw.js': everyone('ok'),
  'GET /offline': everyone('ok'),
  'POST /login': everyone('invalid'),
  'POST /logout': everyone('ok'),
  'POST /language': everyone('invalid'),
  'GET /': allSignedIn('ok'),
  'GET /account': allSignedIn('ok'),
  'POST /account/locale': allSignedIn('invalid'),
  // Mail is off in the sweep (no SMTP_URL): the switch refuses rather than pretend.
  'POST /account/mail': allSignedIn('conflict'),
  'GET /account/password': allSignedIn('ok'),
  'POST /account/password': allSignedIn('invalid'),
  'GET /cases': allSignedIn('ok'),
  'POST /cases/search': allSignedIn('ok'),
  'GET /cases/new': signedIn('ok', 'ok', 'forbidden', 'ok', 'ok'),
  'POST /cases': signedIn('invalid', 'invalid', 'forbidden', 'invalid', 'invalid'),
  'GET /cases/:id': signedIn('ok', 'notFound', 'ok', 'ok', 'ok'),
  'GET /cases/:id/edit': signedIn('ok', 'notFound', 'forbidden', 'ok', 'ok'),
  'POST /cases/:id': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /disbursements': allSignedIn('ok'),
  'GET /disbursements/new': signedIn('ok', 'notFound', 'forbidden', 'ok', 'ok'),
  'POST /disbursements': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /disbursements/:id': signedIn('ok', 'notFound', 'ok', 'ok', 'ok'),
  'GET /disbursements/:id/edit': signedIn('ok', 'notFound', 'forbidden', 'ok', 'ok'),
  'GET /disbursements/:id/acknowledgment': signedIn('ok', 'notFound', 'ok', 'ok', 'ok'),
  'POST /disbursements/:id': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'POST /disbursements/:id/receipts': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /receipts/:id': signedIn('ok', 'notFound', 'ok', 'ok', 'ok'),
  'GET /review': signedIn('forbidden', 'forbidden', 'forbidden', 'ok', 'ok'),
  // Nothing ticked: back to the queue with a message.
  'POST /review/approve': signedIn('forbidden', 'forbidden', 'forbidden', 'ok', 'ok'),
  'POST /review/reject': signedIn('forbidden', 'forbidden', 'forbidden', 'ok', 'ok'),
  'GET /receipts/missing': allSignedIn('ok'),
  // The sweep's record is pending: a lost-receipt declaration needs an approved one (409).
  'POST /disbursements/:id/lost-receipt': signedIn('conflict', 'notFound', 'forbidden', 'conflict', 'conflict'),
  'POST /disbursements/:id/lost-receipt/accept': signedIn('forbidden', 'notFound', 'forbidden', 'conflict', 'conflict'),
  'GET /receipts/:id/thumb': signedIn('ok', 'notFound', 'ok', 'ok', 'ok'),
  // No session in the sweep holds a receipt: each one's token is missing (held-receipts.test.ts tries a real one).
  'GET /receipts/held/:token/thumb': allSignedIn('notFound'),
  'GET /admin/rejection-reasons': adminOnly('ok'),
  'POST /admin/rejection-reasons': adminOnly('invalid'),
  'GET /admin/security': adminOnly('ok'),
  'POST /admin/security': adminOnly('ok'),
  'POST /admin/rejection-reasons/:id/retire': adminOnly('ok'),
  'POST /admin/rejection-reasons/:id/reactivate': adminOnly('ok'),
  'GET /admin/funds/:id/review-rule': adminOnly('ok'),
  'POST /admin/funds/:id/review-rule': adminOnly('invalid'),
  'POST /disbursements/:id/approve': signedIn('forbidden', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'POST /disbursements/:id/withdraw': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'POST /disbursements/:id/reject': signedIn('forbidden', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'POST /disbursements/:id/void': signedIn('forbidden', 'notFound', 'forbidden', 'conflict', 'conflict'),
  'GET /reports': allSignedIn('ok'),
  'GET /reports/print.css': allSignedIn('ok'),
  'GET /reports/public': allSignedIn('ok'),
  'GET /reports/summary.json': allSignedIn('ok'),
  'GET /reports/summary.csv': allSignedIn('ok'),
  'GET /reports/ledger.csv': allSignedIn('ok'),
  'GET /reports/ledger.xlsx': allSignedIn('ok'),
  'GET /reports/summary.xlsx': allSignedIn('ok'),
  'GET /reports/freee.csv': allSignedIn('ok'),
  'GET /reports/moneyforward.csv': allSignedIn('ok'),
  'GET /audit': signedIn('forbidden', 'forbidden', 'ok', 'ok', 'ok'),
  'GET /imports': signedIn('ok', 'ok', 'forbidden', 'ok', 'ok'),
  'GET /imports/new': signedIn('ok', 'ok', 'forbidden', 'ok', 'ok'),
  'POST /imports': signedIn('invalid', 'invalid', 'forbidden', 'invalid', 'invalid'),
  'GET /imports/:id': signedIn('ok', 'notFound', 'forbidden', 'ok', 'ok'),
  'POST /imports/:id/dry-run': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /imports/:id/errors.csv': signedIn('ok', 'notFound', 'forbidden', 'ok', 'ok'),
  'POST /imports/:id/commit': signedIn('conflict', 'notFound', 'forbidden', 'conflict', 'conflict'),
  'POST /imports/:id/confirm': signedIn('forbidden', 'notFound', 'forbidden', 'conflict', 'conflict'),
  'POST /imports/:id/undo': signedIn('invalid', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /person-matches': signedIn('forbidden', 'forbidden', 'forbidden', 'ok', 'ok'),
  'POST /person-matches/decide': signedIn('forbidden', 'forbidden', 'forbidden', 'invalid', 'invalid'),
  'GET /rounds': allSignedIn('ok'),
  'GET /rounds/new': adminOnly('ok'),
  'POST /rounds': adminOnly('invalid'),
  'GET /rounds/:id': allSignedIn('ok'),
  'POST /rounds/:id/open': adminOnly('ok'),
  'POST /rounds/:id/close': adminOnly('ok'),
  'GET /rounds/:id/apply': signedIn('ok', 'ok', 'forbidden', 'forbidden', 'forbidden'),
  'POST /rounds/:id/apply': signedIn('invalid', 'invalid', 'forbidden', 'forbidden', 'forbidden'),
  'GET /round-applications/:id': signedIn('ok', 'notFound', 'ok', 'ok', 'ok'),
  'POST /round-applications/:id/decide': signedIn('forbidden', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /audit.csv': signedIn('forbidden', 'forbidden', 'ok', 'ok', 'ok'),
  'GET /admin': adminOnly('ok'),
  'GET /admin/organizations': adminOnly('ok'),
  'GET /admin/organizations/new': adminOnly('ok'),
  'POST /admin/organizations': adminOnly('invalid'),
  'GET /admin/organizations/:id': adminOnly('ok'),
  'POST /admin/organizations/:id': adminOnly('invalid'),
  'POST /admin/organizations/:id/deactivate': adminOnly('ok'),
  'POST /admin/organizations/:id/reactivate': adminOnly('ok'),
  'GET /admin/users': adminOnly('ok'),
  'GET /admin/users/new': adminOnly('ok'),
  'POST /admin/users': adminOnly('invalid'),
  'GET /admin/users/:id': adminOnly('ok'),
  'POST /admin/users/:id/role': adminOnly('invalid'),
  'POST /admin/users/:id/password': adminOnly('invalid'),
  'POST /admin/users/:id/deactivate': adminOnly('ok'),
  'POST /admin/users/:id/reactivate': adminOnly('ok'),
  'GET /admin/categories': adminOnly('ok'),
  'POST /admin/categories': adminOnly('invalid'),
  'GET /admin/categories/:id/edit': adminOnly('ok'),
  'POST /admin/categories/:id': adminOnly('invalid'),
  'POST /admin/categories/:id/move': adminOnly('invalid'),
  'POST /admin/categories/:id/retire': adminOnly('ok'),
  'POST /admin/categories/:id/reactivate': adminOnly('ok'),
  'POST /admin/categories/:id/delete': adminOnly('ok'),
  'GET /admin/funds': adminOnly('ok'),
  'GET /admin/funds/new': adminOnly('ok'),
  'POST /admin/funds': adminOnly('invalid'),
  'GET /admin/funds/:id/edit': adminOnly('ok'),
  'POST /admin/funds/:id': adminOnly('invalid'),
  'POST /admin/funds/:id/default': adminOnly('ok'),
  'POST /admin/funds/:id/deactivate': adminOnly('ok'),
  'POST /admin/funds/:id/reactivate': adminOnly('ok'),
  'GET /admin/funds/:id/money': adminOnly('ok'),
  'POST /admin/funds/:id/money-in': adminOnly('invalid'),
  'POST /admin/funds/:id/money-in/imports': adminOnly('invalid'),
  // No money-in batch exists in the sweep's world: the admin reaches the lookup and gets 404.
  'GET /admin/funds/:id/money-in/imports/:batchId': adminOnly('notFound'),
  'POST /admin/funds/:id/money-in/imports/:batchId/dry-run': adminOnly('notFound'),
  'POST /admin/funds/:id/money-in/imports/:batchId/commit': adminOnly('notFound'),
  'POST /admin/funds/:id/budgets': adminOnly('invalid'),
  'POST /admin/funds/:id/caps': adminOnly('invalid'),
  'POST /admin/funds/:id/target': adminOnly('ok'),
  'GET /admin/period-locks': adminOnly('ok'),
  'POST /admin/period-locks': adminOnly('invalid'),
  'POST /admin/period-locks/:id/unlock': adminOnly('invalid'),
  'GET /reports/public.json': allSignedIn('ok'),
  // A valid link opens for anyone, signed in or not; the spare link is revoked by the coordinator first.
  'GET /share/:token': everyone('ok'),
  'GET /share-links': signedIn('forbidden', 'forbidden', 'forbidden', 'ok', 'ok'),
  'POST /share-links': signedIn('forbidden', 'forbidden', 'forbidden', 'invalid', 'invalid'),
  'POST /share-links/:id/revoke': signedIn('forbidden', 'forbidden', 'forbidden', 'ok', 'conflict'),
  'GET /admin/accounting': adminOnly('ok'),
  'POST /admin/accounting': adminOnly('ok'),
  // The second step of sign-in: without a half-authenticated session, signed-in users go home.
  'GET /login/second-factor': row('login', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'POST /login/second-factor': row('login', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'GET /login/second-factor/enrol': row('login', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'POST /login/second-factor/enrol': row('login', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'GET /account/second-factor': allSignedIn('ok'),
  'POST /account/second-factor': allSignedIn('invalid'),
  'POST /account/second-factor/recovery-codes': allSignedIn('invalid'),
  'GET /account/passkeys': allSignedIn('ok'),
  'POST /account/passkeys': allSignedIn('notFound'),
  'POST /account/passkeys/:id/delete': allSignedIn('notFound'),
  'POST /login/passkey': row('login', 'ok', 'ok', 'ok', 'ok', 'ok'),
  'GET /account/sessions': allSignedIn('ok'),
  'POST /account/sessions/revoke': allSignedIn('invalid'),
  'POST /account/sessions/revoke-others': allSignedIn('ok'),
  'POST /admin/users/:id/second-factor/reset': adminOnly('invalid'),
  // Only those who see identity with a reason reveal it; the owning group sees it anyway.
  'POST /cases/:id/reveal': signedIn('forbidden', 'notFound', 'forbidden', 'invalid', 'invalid'),
  'GET /admin/reveals': signedIn('forbidden', 'forbidden', 'ok', 'forbidden', 'ok'),
  'POST /admin/organizations/:id/retention': adminOnly('invalid'),
  'POST /admin/organizations/:id/reveal-policy': adminOnly('ok'),
  'GET /cases/:id/disclosure': signedIn('forbidden', 'notFound', 'forbidden', 'ok', 'ok'),
  'POST /cases/:id/purge': signedIn('forbidden', 'notFound', 'forbidden', 'invalid', 'invalid'),
};

function classify(response: LightMyRequestResponse): Outcome | `unexpected ${number}` {
  const status = response.statusCode;
  const location = String(response.headers.location ?? '');
  if (status === 303 && /^\/login(\?next=|$)/.test(location)) return 'login';
  if ((status >= 200 && status < 300) || status === 303) return 'ok';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 409) return 'conflict';
  return `unexpected ${status}`;
}

let w: SecurityWorld;
let share: { token: string; spareId: number };
/** A grant round with one Tokyo application (issue 14), made through the domain. */
let round: { id: number; applicationId: number };
beforeAll(async () => {
  w = await makeSecurityWorld();
  const coordinator = actorOf(w.db, w.world.coordinator.id);
  const link = (expiresOn: string) =>
    createShareLink(w.db, coordinator, { from: '2025-04-01', to: '2025-04-30', expiresOn }, '2025-06-15', w.ctx.clock.now(), 10);
  share = { token: link('2025-12-31').token, spareId: link('2025-12-31').link.id };
  const fundId = w.db.insert(funds).values({ name: 'Round fund' }).returning().get().id;
  const now = w.ctx.clock.now();
  const id = createRound(
    w.db,
    actorOf(w.db, w.world.admin.id),
    {
      fundId,
      name: 'Sweep round',
      categoryCode: 'food',
      amount: 30_000,
      unit: 'person',
      startsOn: '2025-06-01',
      endsOn: '2025-06-30',
      maxPeoplePerGroup: null,
    },
    now,
  );
  const applied = applyToRound(
    w.db,
    actorOf(w.db, w.world.tokyoSupporter.id),
    id,
    { paidOn: '2025-06-10', method: 'cash', entries: [{ caseId: w.records.tokyoCase.id, peopleCovered: 1 }], idempotencyKey: newFormKey() },
    now,
  );
  round = { id, applicationId: Number(applied.location.split('/').pop()) };
});
afterAll(async () => w.ctx.close());

/** The concrete request for a route: ids of the Tokyo records (or the spare ones admins may change). */
function requestFor(method: string, url: string): { path: string; body: Record<string, unknown> } {
  const r = w.records;
  const id = (() => {
    if (url.startsWith('/cases/')) return r.tokyoCase.id;
    if (url.startsWith('/disbursements/')) return r.pending.id;
    if (url.startsWith('/receipts/')) return r.receipt.id;
    if (url.startsWith('/admin/organizations/')) return url.endsWith('activate') ? r.spareOrg.id : w.world.tokyo.id;
    if (url.startsWith('/admin/users/')) return url.endsWith('activate') ? r.spareUser.id : w.world.tokyoSupporter.id;
    if (url.startsWith('/admin/categories/')) return r.spareCategory.id;
    if (url.startsWith('/admin/funds/')) return url.endsWith('/default') ? r.defaultFundId : r.spareFund.id;
    if (url.startsWith('/admin/period-locks/')) return r.lock.id;
    if (url.startsWith('/share-links/')) return share.spareId;
    if (url.startsWith('/imports/') && url !== '/imports/new') return r.importBatch.id;
    if (url.startsWith('/rounds/')) return round.id;
    if (url.startsWith('/round-applications/')) return round.applicationId;
    if (url.startsWith('/admin/rejection-reasons/')) return 1;
    return null;
  })();
  let path = id === null ? url.replace(':token', () => share.token) : url.replace(':id', String(id));
  if (path === '/disbursements/new') path += `?case=${r.tokyoCase.id}`;
  // The minimal body that reaches the access decision: which case, and a fresh form key.
  const body = method === 'POST' && url === '/disbursements' ? { caseId: String(r.tokyoCase.id), idempotencyKey: newFormKey() } : {};
  return { path, body };
}

describe('access sweep over every registered route', () => {
  it('has an expectation for every route, and no stale ones', () => {
    const registered = w.ctx.app.registeredRoutes.map((route) => `${route.method} ${route.url}`);
    expect(registered.length).toBeGreaterThan(60);
    expect(registered.filter((key) => !(key in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((key) => !registered.includes(key))).toEqual([]);
  });

  it('answers each (route, actor) pair as the table says, and a refused request writes nothing', async () => {
    // Signing out ends the session: that route goes last. The admin goes last too: its
    // successful POSTs change the spare records only.
    const routes = [...w.ctx.app.registeredRoutes].sort((a, b) => Number(a.url === '/logout') - Number(b.url === '/logout'));
    const mismatches: string[] = [];
    let tried = 0;
    for (const actor of ACTORS) {
      for (const route of routes) {
        const key = `${route.method} ${route.url}`;
        const expected = EXPECTED[key]?.[actor];
        if (!expected) continue;
        const { path, body } = requestFor(route.method, route.url);
        const before = rowCounts(w.db);
        const client = w.clients[actor];
        const response = route.method === 'GET' ? await client.get(path) : await client.post(path, body);
        tried += 1;
        const got = classify(response);
        if (got !== expected)
          mismatches.push(`${key} as ${actor}: expected ${expected}, got ${got} (${response.statusCode} ${String(response.headers.location ?? '')})`);
        if (expected !== 'ok' || route.method === 'GET') {
          const after = rowCounts(w.db);
          // Reads may leave an audit event (exports, receipt views); nothing else moves.
          if (route.method === 'GET' && expected === 'ok') after.auditEvents = before.auditEvents;
          if (JSON.stringify(after) !== JSON.stringify(before))
            mismatches.push(`${key} as ${actor}: rows changed ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(tried).toBe(Object.keys(EXPECTED).length * ACTORS.length);
  }, 300_000); // ~1,000 requests over every route and actor: minutes on a loaded 2-core runner

  it("answers another group's record with the very page a missing record gets", async () => {
    const osaka = w.clients.osaka;
    await osaka.login(w.world.osakaSupporter.email, w.world.osakaSupporter.password);
    // The CSRF token and request id differ on every page; nothing else may.
    const strip = (r: LightMyRequestResponse) =>
      r.body
        .replace(/name="_csrf" value="[^"]*"/g, '')
        .replace(/name="return" value="[^"]*"/g, '') /* the menu's return path echoes the URL */
        .replace(/[0-9a-f]{8}/g, 'ID');
    for (const [theirs, missing] of [
      [`/cases/${w.records.tokyoCase.id}`, '/cases/999999'],
      [`/disbursements/${w.records.pending.id}`, '/disbursements/999999'],
      [`/receipts/${w.records.receipt.id}`, '/receipts/999999'],
    ] as const) {
      const [a, b] = [await osaka.get(theirs), await osaka.get(missing)];
      expect([a.statusCode, b.statusCode]).toEqual([404, 404]);
      expect(strip(a)).toBe(strip(b));
    }
  });
});
