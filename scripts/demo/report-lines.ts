import type { Db } from '../../db/client.js';
import { computeScopeSummary } from '../../server/domain/figures.js';
import { formatYen, formatYenCampaign } from '../../server/domain/format.js';
import type { DemoTargets } from './targets.js';

/**
 * What `npm run seed:demo` prints about the written database: the figures the report pages show,
 * computed by the same function over the same rows (not the plan's own arithmetic), and whether
 * they reproduce the campaign's published headline.
 */
export function demoReportLines(db: Db, targets: DemoTargets): string[] {
  const s = computeScopeSummary(db, { from: targets.from, to: targets.to, organizationId: null, fundId: null, includePending: false });
  const published = Object.entries(targets.shares).map(([code, share]) => ({ code, share, got: s.byCategory.find((c) => c.code === code)?.share }));
  const matches = s.total === targets.total && s.peopleCumulative === targets.peopleCumulative && published.every((p) => p.got === p.share);
  return [
    `  Report ${targets.from}..${targets.to} (approved): のべ${s.peopleCumulative}人に対し ${formatYenCampaign(s.total)} (${formatYen(s.total)}),`,
    `  ${s.disbursements} disbursements, ${s.cases} cases, ${s.peopleUnique} people; ${published.map((p) => `${p.code} ${p.got?.toFixed(1)}%`).join(', ')}`,
    matches ? '  These are the campaign’s published figures.' : '  WARNING: these differ from the campaign’s published figures.',
  ];
}
