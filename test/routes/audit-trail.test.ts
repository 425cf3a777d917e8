import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../db/client.js';
import { recordAudit } from '../../server/domain/audit.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { runTsx } from '../helpers/run-script.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let auditor: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  auditor = await signedIn(ctx.app, world.auditor);
});
afterEach(async () => ctx.close());

/** `npm run audit:verify` on this test's database, as a separate process. */
async function verifyScript(): Promise<{ code: number | null; out: string }> {
  const run = await runTsx('scripts/verify-audit.ts', [], { env: { DATA_DIR: ctx.dataDir, DATA_KEY: TEST_DATA_KEY } });
  return { code: run.code, out: run.stdout + run.stderr };
}

function record(
  action: string,
  after: Record<string, string | number>,
  at = '2025-06-15T03:00:00Z',
  entityType = 'thing',
  actorUserId: number | null = world.admin.id,
) {
  writeTransaction(ctx.db, (tx) => recordAudit(tx, { action, actorUserId, entityType, entityId: String(after.n ?? 1), after, at: new Date(at) }));
}
const count = () => ctx.db.$client.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;
const sql = (statement: string) => ctx.db.$client.exec(statement);
const banner = (html: string) => /<p class="chain-banner[^"]*"[^>]*>([^<]*)/.exec(html)?.[1]?.trim();

describe('GET /audit', () => {
  it('is for coordinators and auditors', async () => {
    expect((await auditor.get('/audit')).statusCode).toBe(200);
    expect((await (await signedIn(ctx.app, world.coordinator)).get('/audit')).statusCode).toBe(200);
    expect((await (await signedIn(ctx.app, world.tokyoSupporter)).get('/audit')).statusCode).toBe(403);
  });

  it('shows events newest first, each before/after as a key/value table', async () => {
    record('thing.changed', { n: 1, colour: 'blue' });
    writeTransaction(ctx.db, (tx) =>
      recordAudit(tx, {
        action: 'thing.recoloured',
        actorUserId: world.coordinator.id,
        entityType: 'thing',
        entityId: 7,
        before: { colour: 'blue' },
        after: { colour: 'green', tags: ['a', 'b'] },
        at: new Date('2025-06-15T04:00:00Z'),
      }),
    );
    const body = (await auditor.get('/audit')).body;
    expect(body.indexOf('<code>thing.recoloured</code>')).toBeGreaterThan(0);
    expect(body.indexOf('<code>thing.recoloured</code>')).toBeLessThan(body.indexOf('<code>thing.changed</code>'));
    // Before → after side by side (issue 13: changes in words).
    expect(body).toContain('<tr><th scope="row">colour</th><td>blue</td><td>green</td></tr>');
    expect(body).toContain('<tr><th scope="row">tags</th><td>—</td><td>[&quot;a&quot;,&quot;b&quot;]</td></tr>');
    expect(body).toContain('Second Coordinator（コーディネーター）');
    expect(body).toContain('2025年6月15日 13:00');
  });

  it('never shows an identifying value, even one that slipped into a payload', async () => {
    record('thing.bad', { n: 1, alias: '山田花子', contactEnc: 'v1:abc', kept: 'ok' });
    const body = (await auditor.get('/audit')).body;
    expect(body).not.toContain('山田花子');
    expect(body).not.toContain('v1:abc');
    expect(body).toContain('<tr><th scope="row">alias</th><td></td><td>[encrypted]</td></tr>');
    expect(body).toContain('<tr><th scope="row">kept</th><td></td><td>ok</td></tr>');
  });

  it('a case created with identifying fields leaves none of them in the trail', async () => {
    const supporter = await signedIn(ctx.app, world.tokyoSupporter);
    const created = await supporter.post('/cases', {
      householdSize: '2',
      alias: 'グエン・ティ・ホア',
      contact: '090-1234-5678',
      notes: '夜間のみ連絡可',
      idempotencyKey: newFormKey(),
    });
    expect(created.statusCode).toBe(303);
    const stored = ctx.db.$client.prepare("SELECT before, after FROM audit_events WHERE entity_type = 'case'").all() as {
      before: string | null;
      after: string | null;
    }[];
    expect(stored.length).toBeGreaterThan(0);
    for (const client of [auditor, await signedIn(ctx.app, world.coordinator)]) {
      const body = (await client.get('/audit?entityType=case')).body;
      expect(body).toContain('case.created');
      for (const secret of ['グエン', '090-1234-5678', '夜間のみ']) expect(body).not.toContain(secret);
    }
    for (const row of stored) for (const secret of ['グエン', '090-1234-5678', '夜間のみ']) expect(`${row.before}${row.after}`).not.toContain(secret);
  });

  it('filters by date range (Tokyo days), actor, action, entity type and id', async () => {
    record('a.one', { n: 1 }, '2025-06-09T14:59:59Z'); // 2025-06-09 23:59 in Tokyo
    record('a.two', { n: 2 }, '2025-06-09T15:00:00Z'); // 2025-06-10 00:00 in Tokyo
    record('a.three', { n: 3 }, '2025-06-10T14:59:59.999Z', 'other', world.coordinator.id);
    record('a.four', { n: 4 }, '2025-06-10T15:00:00Z', 'other', null);
    const shown = async (query: string) => {
      const body = (await auditor.get(`/audit?${query}`)).body;
      return ['a.one', 'a.two', 'a.three', 'a.four'].filter((a) => body.includes(`<code>${a}</code>`));
    };
    expect(await shown('from=2025-06-10&to=2025-06-10')).toEqual(['a.two', 'a.three']);
    expect(await shown('from=2025-06-10')).toEqual(['a.two', 'a.three', 'a.four']);
    expect(await shown('to=2025-06-09')).toEqual(['a.one']);
    expect(await shown(`actor=${world.coordinator.id}`)).toEqual(['a.three']);
    expect(await shown('action=a.two')).toEqual(['a.two']);
    expect(await shown('entityType=other')).toEqual(['a.three', 'a.four']);
    expect(await shown('entityType=thing&entityId=2')).toEqual(['a.two']);
    expect(await shown('from=&to=&actor=&action=&entityType=&entityId=')).toEqual(['a.one', 'a.two', 'a.three', 'a.four']);
  });

  it('answers 400 to a malformed query', async () => {
    for (const query of [
      'from=2025-02-30',
      'to=yesterday',
      'from=2025-06-10&to=2025-06-01',
      'actor=me',
      'action=DROP%20TABLE',
      'entityType=a%20b',
      'page=-1',
      'entityId=%3Cscript%3E',
      'action=a&action=b',
    ]) {
      expect({ query, status: (await auditor.get(`/audit?${query}`)).statusCode }).toEqual({ query, status: 400 });
    }
  });

  it('pages by 50, newest first', async () => {
    for (let n = 1; n <= 60; n += 1) record(`p.e${n}`, { n });
    const total = count();
    const first = (await auditor.get('/audit')).body;
    expect(first.match(/class="audit-event"/g)).toHaveLength(50);
    expect(first).toContain('<code>p.e60</code>');
    const second = (await auditor.get('/audit?page=2')).body;
    expect(second.match(/class="audit-event"/g)).toHaveLength(total - 50);
    expect(second).toContain(`id="event-1"`);
  });
});

describe('the verification banner and npm run audit:verify agree', () => {
  beforeEach(() => {
    for (let n = 1; n <= 5; n += 1) record('chain.event', { n, note: `event ${n}` });
  });

  const expectBoth = async (expected: { ok: true } | { ok: false; id: number; reason: RegExp }) => {
    const body = (await auditor.get('/audit')).body;
    const script = await verifyScript();
    if (expected.ok) {
      const n = count();
      expect(banner(body)).toBe(`検証済み: ${n}件の記録すべてのハッシュと連結が正しいことを確認しました。`);
      expect(script.code).toBe(0);
      expect(script.out).toContain(`Audit chain verified: ${n} events`);
    } else {
      expect(banner(body)).toMatch(new RegExp(`^改ざんの疑い: 記録 #${expected.id} で検証に失敗しました。 `));
      expect(banner(body)).toMatch(expected.reason);
      expect(body).not.toContain('検証済み');
      expect(script.code).toBe(1);
      expect(script.out).toContain(`Audit chain BROKEN at event ${expected.id} `);
    }
  };

  it('on an honest trail', async () => {
    await expectBoth({ ok: true });
  });

  it('when one event was altered', async () => {
    sql('DROP TRIGGER audit_events_no_update');
    sql(`UPDATE audit_events SET after = replace(after, 'event 3', 'event three') WHERE action = 'chain.event' AND after LIKE '%event 3%'`);
    const id = ctx.db.$client.prepare("SELECT id FROM audit_events WHERE after LIKE '%event three%'").pluck().get() as number;
    await expectBoth({ ok: false, id, reason: /内容が書き換えられています/ });
  });

  it('when one event was deleted', async () => {
    sql('DROP TRIGGER audit_events_no_delete');
    const id = ctx.db.$client.prepare("SELECT id FROM audit_events WHERE after LIKE '%event 2%'").pluck().get() as number;
    sql(`DELETE FROM audit_events WHERE id = ${id}`);
    await expectBoth({ ok: false, id: id + 1, reason: /前の記録が削除されています/ });
  });

  it('when two events were reordered', async () => {
    sql('DROP TRIGGER audit_events_no_update');
    const ids = ctx.db.$client.prepare("SELECT id FROM audit_events WHERE action = 'chain.event' ORDER BY id").pluck().all() as number[];
    const [a, b] = [ids[1]!, ids[2]!];
    sql(`UPDATE audit_events SET id = -1 WHERE id = ${a}; UPDATE audit_events SET id = ${a} WHERE id = ${b}; UPDATE audit_events SET id = ${b} WHERE id = -1;`);
    await expectBoth({ ok: false, id: a, reason: /つながりが切れています/ });
  });

  it('when the newest event was deleted, and still after new events are added', async () => {
    sql('DROP TRIGGER audit_events_no_delete');
    const last = ctx.db.$client.prepare('SELECT max(id) FROM audit_events').pluck().get() as number;
    sql(`DELETE FROM audit_events WHERE id = ${last}`);
    await expectBoth({ ok: false, id: last, reason: /最新の記録が削除されています/ });
    // the app keeps writing: the hole stays visible
    record('chain.after', { n: 9 });
    await expectBoth({ ok: false, id: last + 1, reason: /前の記録が削除されています/ });
  });
});
