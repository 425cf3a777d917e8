import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { organizations } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { eq } from 'drizzle-orm';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp({ now: '2025-06-15T03:00:00Z' });
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const orgName = (id: number) => ctx.db.select().from(organizations).where(eq(organizations.id, id)).get()!.name;
const literal = (text: string) => [...text].map((ch) => (/^[\p{L}\p{N} ]$/u.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `)).join('');

describe('GET /reports/print.css (issue 16 §3)', () => {
  it("gives the printed report's header: the reader's organization, the period, today's date, page n / total", async () => {
    const client = await signedIn(ctx.app, world.tokyoSupporter);
    const response = await client.get('/reports/print.css?from=2024-04-01&to=2025-03-31');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.body).toContain(`@top-left { content: "${literal(orgName(world.tokyo.id))}"`);
    expect(response.body).toContain(`@top-right { content: "${literal('2024年度 (2024年4月1日 – 2025年3月31日)')}"`);
    expect(response.body).toContain(`@bottom-left { content: "${literal('印刷日 2025年6月15日')}"`);
    expect(response.body).toContain('counter(page) " / " counter(pages)');
  });

  it('answers 400 to a malformed period, and the report page links its own print header', async () => {
    const client = await signedIn(ctx.app, world.coordinator);
    expect((await client.get('/reports/print.css?from=2025-13-01&to=2025-01-01')).statusCode).toBe(400);
    const page = await client.get('/reports?from=2025-04-01&to=2025-04-30');
    expect(page.body).toContain('<link rel="stylesheet" media="print" href="/reports/print.css?from=2025-04-01&amp;to=2025-04-30');
    // The headline and figures come before the folded filters.
    expect(page.body.indexOf('class="report-figures"')).toBeLessThan(page.body.indexOf('<details class="report-filters-fold'));
  });
});
