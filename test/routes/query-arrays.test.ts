import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQueryString } from '../../server/forms/query-string.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';

let ctx: TestContext;
let coordinator: TestClient;
let caseId: number;
beforeAll(async () => {
  ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id }).id;
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterAll(async () => ctx.close());

const PERIOD = 'from=2025-06-01&to=2025-06-30';

describe('a query value given as an array or object where one value is expected', () => {
  const urls = () => [
    `/reports?${PERIOD}&org[]=3`,
    `/reports?${PERIOD}&org[x]=3`,
    `/reports?${PERIOD}&fund[]=1`,
    `/reports?from[]=2025-06-01&to=2025-06-30`,
    `/reports/summary.json?${PERIOD}&org[]=3`,
    `/reports/ledger.csv?${PERIOD}&org[0]=3`,
    `/reports/public?${PERIOD}&includePending[]=1`,
    '/review?org[]=3',
    '/review?page[]=2',
    '/audit?actor[]=1',
    '/cases?page[]=2',
    '/cases?q[]=TKY',
    `/disbursements/new?case[]=${caseId}`,
  ];

  it('answers 400, never runs the request without the value', async () => {
    for (const url of urls()) expect([url, (await coordinator.get(url)).statusCode]).toEqual([url, 400]);
  });

  it('while the same requests with one value each still answer 200', async () => {
    for (const url of urls()) {
      const single = url.replace(/\[[^\]]*\]=/, '=');
      expect([single, (await coordinator.get(single)).statusCode]).toEqual([single, 200]);
    }
  });
});

describe('parseQueryString', () => {
  it('files bracketed and repeated keys under their name, and never touches prototypes', () => {
    expect(parseQueryString('org[]=3')).toEqual({ org: ['3'] });
    expect(parseQueryString('org=1&org=2')).toEqual({ org: ['1', '2'] });
    expect(parseQueryString('org[x]=3')).toEqual({ org: { x: '3' } });
    expect(parseQueryString('next=%2Fcases%3Fpage%3D2&q=a+b')).toEqual({ next: '/cases?page=2', q: 'a b' });
    expect(Object.getPrototypeOf(parseQueryString('__proto__[polluted]=1'))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
