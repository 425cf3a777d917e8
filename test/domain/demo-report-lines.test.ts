import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { cases, users } from '../../db/schema.js';
import { demoReportLines } from '../../scripts/demo/report-lines.js';
import { computeScopeSummary } from '../../server/domain/figures.js';
import { discloseSummary } from '../../server/domain/figures/disclosure.js';
import { seedDemoFile } from '../../scripts/demo/seed.js';
import { CAMPAIGN_TARGETS } from '../../scripts/demo/targets.js';
import { makeDisbursement } from '../helpers/money-factories.js';

const dir = mkdtempSync(path.join(tmpdir(), 'eacm-demo-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scope = (from: string, to: string) => ({ from, to, organizationId: null, fundId: null, includePending: false });

describe('the public summary of the demonstration ledger', () => {
  it('publishes nothing for 2023-07 and hides rare categories for the campaign, never one alone', async () => {
    const file = path.join(dir, 'public.sqlite');
    await seedDemoFile(file, new Date(), { dataKey: randomBytes(32) });
    const db = openDatabase(file);
    try {
      const july = computeScopeSummary(db, scope('2023-07-01', '2023-07-31'));
      expect(july.cases).toBeLessThan(10);
      expect(discloseSummary(july, 10)).toEqual({ published: false, period: { from: '2023-07-01', to: '2023-07-31' }, threshold: 10 });

      const campaign = discloseSummary(computeScopeSummary(db, scope('2023-07-01', '2025-08-31')), 10);
      if (!campaign.published) throw new Error('the campaign period has enough cases');
      expect(campaign.total).toBe(17_644_244);
      const shown = campaign.categories.filter((c) => !c.suppressed).map((c) => [c.key, c.share]);
      expect(shown.slice(0, 4)).toEqual([
        ['shelter', 37.3],
        ['food', 26.9],
        ['medical', 14.4],
        ['utilities', 11.3],
      ]);
      const repatriation = campaign.categories.find((c) => c.key === 'repatriation')!;
      expect(repatriation.suppressed).toBe(true);
      for (const rows of [campaign.categories, campaign.months, campaign.organizations, campaign.funds]) {
        expect(rows.filter((r) => r.suppressed).length).not.toBe(1);
      }
    } finally {
      db.$client.close();
    }
  }, 300_000);
});

describe('what npm run seed:demo prints', () => {
  it('reads the figures from the written ledger through the report function, not from the plan', async () => {
    const file = path.join(dir, 'app.sqlite');
    await seedDemoFile(file, new Date(), { dataKey: randomBytes(32) });
    const db = openDatabase(file);
    try {
      const lines = demoReportLines(db, CAMPAIGN_TARGETS).join('\n');
      expect(lines).toContain('のべ491人に対し 1,764万4,244円 (¥17,644,244)');
      expect(lines).toMatch(/shelter 37\.3%, food 26\.9%, medical 14\.4%, utilities 11\.3%/);
      expect(lines).toContain('These are the campaign’s published figures.');

      // One more approved record in the period: the plan does not know it, the report does.
      const someCase = db.select().from(cases).get()!;
      const someone = db.select().from(users).get()!;
      makeDisbursement(db, {
        caseId: someCase.id,
        submittedBy: someone.id,
        decidedBy: someone.id,
        status: 'approved',
        paidOn: '2024-01-10',
        peopleCovered: 1,
        lines: [{ category: 'food', amount: 1_000 }],
      });
      const after = demoReportLines(db, CAMPAIGN_TARGETS).join('\n');
      expect(after).toContain('のべ492人に対し 1,764万5,244円');
      expect(after).toContain('WARNING: these differ');
    } finally {
      db.$client.close();
    }
  }, 300_000);
});
