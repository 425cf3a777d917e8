import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { categories, periodLocks } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { APRIL, csvLines, exportEvents, makeReportWorld } from '../helpers/report-world.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

/** Two groups' money in April 2025, plus records the figures must leave out. */
async function seed() {
  const { w, grant, approved, tokyo, osaka } = await makeReportWorld(ctx.db, { name: '=HYPERLINK("x")', budget: 200_000 });
  ctx.db.insert(categories).values({ code: 'legal', labelJa: '@SUM(A1)', labelEn: '@SUM(A1)', sortOrder: 80 }).run();
  tokyo({
    ...approved,
    paidOn: '2025-04-01',
    lines: [
      { category: 'shelter', amount: 50_000 },
      { category: 'food', amount: 12_345 },
    ],
  });
  tokyo({ ...approved, paidOn: '2025-04-30', peopleCovered: 2, fundId: grant.id, lines: [{ category: 'legal', amount: 7_655 }] });
  osaka({ ...approved, paidOn: '2025-04-15', lines: [{ category: 'medical', amount: 30_000 }] });
  osaka({ ...approved, paidOn: '2025-05-01', lines: [{ category: 'food', amount: 99_999 }] });
  osaka({ paidOn: '2025-04-20', status: 'voided', lines: [{ category: 'food', amount: 500_000 }] });
  tokyo({ paidOn: '2025-04-21', status: 'pending', lines: [{ category: 'food', amount: 1_000 }] });
  return { w, grant };
}

describe('GET /reports', () => {
  it("shows the headline in the network's style, the figures, accessible charts and the definitions", async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const page = await client.get(`/reports?${APRIL}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('「2025年4月、のべ7人に対し、10万円の緊急支援」');
    expect(page.body).toContain('¥100,000');
    for (const term of ['のべ件数', 'のべ人数', '実ケース数', '実人数', '数え方']) expect(page.body).toContain(term);
    expect(page.body).toMatch(/<svg class="chart chart-donut"[^>]*role="img"[^>]*aria-labelledby="donut-title donut-desc"/);
    expect(page.body).toContain('<title id="bars-title">月別の支給額</title>');
    expect(page.body).toContain('<desc id="donut-desc">支給総額¥100,000の内訳：シェルター・住居費 50.0%');
    expect(page.body).toContain('url(#cat-pattern-');
    expect(page.body).not.toMatch(/\sstyle="/);
    expect(page.body).toContain('予算に対する支給額');
    expect(page.body).toContain('3.8%'); // 7,655 of the grant's 200,000
    expect(page.body).toContain(`/reports/ledger.csv?${APRIL.replace('&', '&amp;')}`);
    expect(page.body).toContain(`/reports/public?${APRIL.replace('&', '&amp;')}`);
    expect(page.body).toContain('name="org"');
  });

  it('defaults to this month in Tokyo and marks pending money and locked periods', async () => {
    const { w } = await seed();
    ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2025-04-01', endsOn: '2025-04-30', note: '2025年4月締め', lockedBy: w.admin.id, lockedAt: '2025-05-10T00:00:00Z' })
      .run();
    const client = await signedIn(ctx.app, w.coordinator);
    const june = await client.get('/reports');
    expect(june.body).toContain('2025年6月');
    expect(june.body).toContain('value="2025-06-01"');
    expect(june.body).not.toContain('2025年4月締め');
    const april = await client.get(`/reports?${APRIL}&includePending=1`);
    expect(april.body).toContain('2025年4月締め');
    expect(april.body).toContain('承認待ち（まだ確定していない）支給を含みます。');
    expect(april.body).toContain('¥101,000');
  });

  it('answers a preset with the address of the period it shows, so a copied link is right', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const switched = await client.get(`/reports?preset=fy2024&${APRIL}`);
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe('/reports?preset=fy2024&from=2024-04-01&to=2025-03-31');
    const shown = await client.get(switched.headers.location as string);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('2024年度');
  });

  it('answers 400 with the form and a message for a malformed period, never 500', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const cases: [string, string][] = [
      ['from=2025-02-30&to=2025-03-31', '日付は実在する日'],
      ['from=2025-05-01&to=2025-04-01', '終了日は開始日と同じ日か'],
      ['from=2000-01-01&to=2024-01-01', '期間は20年未満'],
      ['preset=someday', '期間の選択肢が正しくありません'],
      ['org=abc', '団体の指定が正しくありません'],
      ['from=2025-01-01&from=2025-02-01&to=2025-03-01', '集計の条件が正しくありません'],
    ];
    for (const [query, message] of cases) {
      const response = await client.get(`/reports?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.body, query).toContain(message);
      expect(response.body).toContain('class="error-summary"');
      const json = await client.get(`/reports/summary.json?${query}`);
      expect(json.statusCode, query).toBe(400);
      expect(json.json().error).toContain(message);
      expect((await client.get(`/reports/ledger.csv?${query}`)).statusCode, query).toBe(400);
    }
    expect(exportEvents(ctx.db)).toHaveLength(0);
  });

  it('speaks English to an English-speaking user', async () => {
    const { w } = await seed();
    const user = await makeUser(ctx.db, { role: 'auditor', organizationId: w.office.id, locale: 'en' });
    const client = await signedIn(ctx.app, user);
    const page = await client.get('/reports?from=2023-07-01&to=2025-08-31');
    expect(page.body).toContain('“July 2023 – August 2025: emergency aid of ¥199,999 for 9 people (cumulative)”');
    expect(page.body).toContain('How we count');
    // The month chart's axis names months in the reader's language too, never as 2023-07.
    const axis = [...page.body.matchAll(/<text class="axis-label"[^>]*transform="rotate[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(axis[0]).toBe('Jul 2023');
    expect(axis.filter((label) => /^\d{4}-\d{2}$/.test(label!))).toEqual([]);
  });
});

describe('page, JSON and CSV agree', () => {
  it('gives the same figures on the page, in summary.json, summary.csv and ledger.csv', async () => {
    const { w, grant } = await seed();
    const client = await signedIn(ctx.app, w.auditor);
    const json = await client.get(`/reports/summary.json?${APRIL}`);
    expect(json.statusCode).toBe(200);
    const s = json.json();
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'period',
        'total',
        'disbursements',
        'peopleCumulative',
        'cases',
        'peopleUnique',
        'byCategory',
        'byMonth',
        'byOrganization',
        'byFund',
      ]),
    );
    expect([s.total, s.disbursements, s.peopleCumulative, s.cases, s.peopleUnique]).toEqual([100_000, 3, 7, 2, 5]);
    expect(s.byCategory.map((c: { code: string }) => c.code)).toEqual(['shelter', 'food', 'medical', 'utilities', 'repatriation', 'tuition', 'other', 'legal']);
    expect(s.byCategory.reduce((n: number, c: { share: number }) => n + c.share * 10, 0)).toBeCloseTo(1000, 6);
    expect(s.byFund.find((f: { id: number }) => f.id === grant.id)).toEqual({
      id: grant.id,
      name: '=HYPERLINK("x")',
      amount: 7_655,
      disbursements: 1,
      budget: 200_000,
    });

    const page = (await client.get(`/reports?${APRIL}`)).body;
    for (const c of s.byCategory) {
      const row = new RegExp(
        `data-category="${c.code}">[\\s\\S]*?¥${c.amount.toLocaleString('en-US')}</td>\\s*<td class="num">${c.share.toFixed(1)}%</td>\\s*<td class="num">${c.lines}</td>`,
      );
      expect(page, c.code).toMatch(row);
    }

    const summaryCsv = csvLines((await client.get(`/reports/summary.csv?${APRIL}`)).body);
    expect(summaryCsv[0]).toBe('区分コード,支出区分,金額（円）,割合（%）,明細数');
    const csvAmounts = summaryCsv.slice(1, -1).map((l) => Number(l.split(',')[2]));
    expect(csvAmounts).toEqual(s.byCategory.map((c: { amount: number }) => c.amount));
    expect(summaryCsv.at(-1)).toBe('total,合計,100000,100.0,4');

    // Four counted lines, the voided one listed as 取消, then the totals row of what is counted.
    const ledger = csvLines((await client.get(`/reports/ledger.csv?${APRIL}`)).body);
    expect(ledger).toHaveLength(1 + 5 + 1);
    const amountColumn = 6;
    const counted = ledger.slice(1, -1).filter((l) => !l.includes(',取消,'));
    expect(counted).toHaveLength(4);
    expect(counted.reduce((n, l) => n + Number(l.split(',')[amountColumn]), 0)).toBe(s.total);
    expect(ledger.at(-1)!.split(',')[amountColumn]).toBe(String(s.total));
  });
});

describe('CSV exports', () => {
  it('are UTF-8 with BOM, CRLF, attachments with a dated name, and neutralize formulas', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const ledger = await client.get(`/reports/ledger.csv?${APRIL}&includePending=1`);
    expect(ledger.statusCode).toBe(200);
    expect(ledger.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(ledger.headers['content-disposition']).toBe('attachment; filename="ledger_2025-04-01_2025-04-30_with-pending.csv"');
    expect([...ledger.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(ledger.body).not.toMatch(/[^\r]\n/);
    const rows = csvLines(ledger.body);
    expect(rows[0]).toBe(
      '支給記録ID,明細番号,ケース番号,団体,支給日,支出区分,金額（円）,財源,支給方法,対象人数,状態,登録者,登録日時（日本時間）,承認者,承認日時（日本時間）,取消日時（日本時間）,取消理由',
    );
    const legal = rows.find((r) => r.includes("'@SUM(A1)"))!;
    // Words, not codes; Japan time (decided 2025-06-02T00:00Z = 09:00 in Tokyo); the approver by name.
    expect(legal).toContain(`,'@SUM(A1),7655,"'=HYPERLINK(""x"")",現金,2,承認済み,`);
    expect(legal).toContain('TKY-2025-0001,Tokyo group,2025-04-30');
    expect(legal).toMatch(/,2025-06-02 09:00:00,,$/);
    expect(rows.filter((r) => r.includes(',承認待ち,'))).toHaveLength(1);
    // The voided record is listed with its date and reason, and the total leaves it out.
    const voided = rows.find((r) => r.includes(',取消,'))!;
    expect(voided).toContain(',500000,');
    expect(voided).toMatch(/,2025-06-03 09:00:00,test void$/);
    expect(rows.at(-1)).toBe(`合計（取消を除く）,,,,,,${70_000 + 30_000 + 1_000},,,,,,,,,,`);
    expect(ledger.body).not.toContain('99999'); // the day after
    const summary = await client.get(`/reports/summary.csv?${APRIL}`);
    expect(summary.headers['content-disposition']).toBe('attachment; filename="summary_2025-04-01_2025-04-30.csv"');
    expect(summary.body).toContain("legal,'@SUM(A1),7655,7.7,1\r\n");
  });

  it('each export writes a report.exported audit event: who, which filter, how many rows', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.auditor);
    await client.get(`/reports/ledger.csv?${APRIL}&org=${w.tokyo.id}`);
    await client.get(`/reports/summary.csv?${APRIL}`);
    await client.get(`/reports/summary.json?${APRIL}&includePending=1`);
    await client.get(`/reports?${APRIL}`);
    const events = exportEvents(ctx.db);
    expect(events.map((e) => e.entityId)).toEqual(['ledger.csv', 'summary.csv', 'summary.json']);
    expect(events.every((e) => e.actorUserId === w.auditor.id && e.entityType === 'report')).toBe(true);
    expect(JSON.parse(events[0]!.after!)).toEqual({
      format: 'ledger.csv',
      from: '2025-04-01',
      to: '2025-04-30',
      organizationId: w.tokyo.id,
      fundId: null,
      includePending: false,
      rows: 3,
      encoding: 'utf8',
    });
    expect(JSON.parse(events[1]!.after!).rows).toBe(8);
    expect(JSON.parse(events[2]!.after!).includePending).toBe(true);
  });
});

describe("a supporter's reports", () => {
  it("cover their own group only; another group's id is a 404", async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.tokyoSupporter);
    const s = (await client.get(`/reports/summary.json?${APRIL}`)).json();
    expect([s.total, s.cases]).toEqual([70_000, 1]);
    expect(s.byOrganization.map((o: { id: number }) => o.id)).toEqual([w.tokyo.id]);
    expect((await client.get(`/reports/summary.json?${APRIL}&org=${w.tokyo.id}`)).json().total).toBe(70_000);
    expect((await client.get(`/reports/summary.json?${APRIL}&org=${w.osaka.id}`)).statusCode).toBe(404);
    expect((await client.get(`/reports/ledger.csv?${APRIL}&org=${w.osaka.id}`)).statusCode).toBe(404);
    expect((await client.get(`/reports?${APRIL}&org=${w.osaka.id}`)).statusCode).toBe(404);
    const ledger = (await client.get(`/reports/ledger.csv?${APRIL}`)).body;
    expect(ledger).toContain('TKY-2025-0001');
    expect(ledger).not.toContain('OSK-2025-0001');
    const page = (await client.get(`/reports?${APRIL}`)).body;
    expect(page).not.toContain('name="org"');
    expect(page).not.toContain('Osaka group');
    expect(page).toContain('Tokyo groupの記録だけを集計しています。');
  });
});
