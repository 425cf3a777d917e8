import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPeriodLock } from '../../server/domain/period-locks.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { actorFor, submitThroughApp } from '../helpers/audited-world.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { runTsx } from '../helpers/run-script.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

/** `npm run audit:verify` on this test's database, as a separate process. */
async function verifyScript(): Promise<{ code: number | null; out: string }> {
  const run = await runTsx('scripts/verify-audit.ts', [], { env: { DATA_DIR: ctx.dataDir, DATA_KEY: TEST_DATA_KEY } });
  return { code: run.code, out: run.stdout + run.stderr };
}
const ledgerBanner = (html: string) => {
  const found = /<(p|div) class="ledger-banner ([a-z-]+)" role="(\w+)">([\s\S]*?)<\/\1>/.exec(html);
  return found ? ([found[0], found[2], found[3], found[4]] as const) : null;
};

describe('the /audit page and npm run audit:verify compare the ledger with the trail', { timeout: 120_000 }, () => {
  it('an approved line in a locked year given ¥1,000,000 more behind the app is named by both, with a link', async () => {
    const honest = submitThroughApp(ctx.db, { supporter: world.tokyoSupporter, coordinator: world.admin });
    const target = submitThroughApp(ctx.db, { supporter: world.osakaSupporter, coordinator: world.admin });
    createPeriodLock(
      ctx.db,
      actorFor(world.admin),
      { startsOn: '2024-04-01', endsOn: '2025-03-31', note: 'FY2024 published' },
      '2025-06-15',
      new Date('2025-06-15T03:00:00Z'),
    );
    const auditor = await signedIn(ctx.app, world.auditor);

    const before = ledgerBanner((await auditor.get('/audit')).body);
    expect(before?.[1]).toBe('chain-ok');
    expect(before?.[3]).toContain('支給記録2件');
    const clean = await verifyScript();
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('Ledger verified: 2 disbursements match their last audit event.');

    ctx.db.$client.exec('DROP TRIGGER lines_frozen_after_decision_update');
    ctx.db.$client.exec(`UPDATE disbursement_lines SET amount = amount + 1000000 WHERE disbursement_id = ${target} AND position = 0`);

    for (const viewer of [auditor, await signedIn(ctx.app, world.coordinator)]) {
      const body = (await viewer.get('/audit')).body;
      const banner = ledgerBanner(body);
      expect(banner?.[1]).toBe('chain-broken');
      expect(banner?.[2]).toBe('alert');
      expect(banner?.[3]).toContain('支給記録1件が、アプリの外で変更された疑いがあります');
      expect(banner?.[3]).toContain(`<li id="ledger-${target}"><a href="/disbursements/${target}">支給記録 #${target}</a>: 最後の監査記録のあとで`);
      expect(banner?.[3]).not.toContain(`ledger-${honest}"`);
      // the chain itself still holds, and says so separately
      expect(body).toMatch(/<p class="chain-banner chain-ok" role="status">検証済み/);
    }
    const tampered = await verifyScript();
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('Ledger DIFFERS from the audit trail for 1 disbursement(s):');
    expect(tampered.out).toContain(`disbursement #${target}: its ledger state differs from its last audit event`);
    expect(tampered.out).not.toContain(`disbursement #${honest}:`);
  });

  it('in English too, and without a link to a record that is gone', async () => {
    const gone = submitThroughApp(ctx.db, { supporter: world.tokyoSupporter, coordinator: world.admin }, { approve: false });
    ctx.db.$client.exec('DROP TRIGGER disbursements_never_deleted');
    ctx.db.$client.exec(`DELETE FROM disbursement_lines WHERE disbursement_id = ${gone}; DELETE FROM disbursements WHERE id = ${gone};`);
    const auditor = await signedIn(ctx.app, world.auditor);
    await auditor.post('/account/locale', { locale: 'en' });
    const banner = ledgerBanner((await auditor.get('/audit')).body);
    expect(banner?.[3]).toContain('Disbursements that may have been changed outside the app: 1.');
    expect(banner?.[3]).toContain(`<li id="ledger-${gone}">Disbursement #${gone}: the audit trail vouches for it, but it is gone from the ledger.</li>`);
  });
});
