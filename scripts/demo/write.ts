import { writeTransaction, type Db } from '../../db/client.js';
import { manualClock } from '../../server/domain/clock.js';
import { countRecords, holdsRecords, isDemoDatabase, markDemoDatabase, type RecordCounts } from '../../server/domain/demo/marker.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { findDefaultFund } from '../../server/domain/funds.js';
import { ledgerSteps } from './ledger.js';
import { createDemoPeople } from './people.js';
import { roundSteps } from './round-2020.js';
import { runSteps } from './steps.js';
import type { DemoPlan } from './types.js';

/** The database already holds records: demo data is never mixed with anything else. */
export class DemoSeedRefused extends Error {
  constructor(
    readonly counts: RecordCounts,
    readonly isDemo: boolean,
  ) {
    super(
      `refusing to write demonstration data into a database that already holds records ` +
        `(${counts.users} users, ${counts.cases} cases, ${counts.disbursements} disbursements${isDemo ? '' : ', not a demo database'})`,
    );
    this.name = 'DemoSeedRefused';
  }
}

export interface DemoSeedSummary {
  organizations: number;
  users: number;
  cases: number;
  disbursements: number;
  lines: number;
  /** What the report over the target period must show. */
  counted: { total: number; peopleCumulative: number; disbursements: number };
}

export function summarizePlan(plan: DemoPlan): DemoSeedSummary {
  const counted = plan.disbursements.filter((d) => d.counted);
  return {
    organizations: plan.organizations.length,
    users: plan.users.length,
    cases: plan.cases.length,
    disbursements: plan.disbursements.length,
    lines: plan.disbursements.reduce((n, d) => n + d.lines.length, 0),
    counted: {
      total: counted.reduce((sum, d) => sum + d.lines.reduce((s, l) => s + l.amount, 0), 0),
      peopleCumulative: counted.reduce((sum, d) => sum + d.peopleCovered, 0),
      disbursements: counted.length,
    },
  };
}

/** Set-up day: the network office, its admin, the partner groups and their staff, before the 2020 round. */
export const DEMO_SET_UP_AT = '2020-04-01T00:30:00.000Z';

/**
 * Build the plan into an empty migrated database through the app's own domain functions, with
 * the clock set to each step's time, so the audit trail holds who did what when. Everything
 * after the accounts (asynchronous password hashing) is one transaction; the last step marks
 * the file as a demo database. Refuses (DemoSeedRefused) a database holding records.
 */
export async function writeDemoDatabase(db: Db, plan: DemoPlan, options: { dataKey: Buffer; now: Date }): Promise<DemoSeedSummary> {
  const summary = summarizePlan(plan);
  const counts = countRecords(db);
  if (holdsRecords(counts)) throw new DemoSeedRefused(counts, isDemoDatabase(db));
  const people = await createDemoPeople(db, plan, new Date(DEMO_SET_UP_AT));
  const clock = manualClock(DEMO_SET_UP_AT);
  const deps = { cipher: createFieldCipher(options.dataKey), clock };
  const round = { cases: 0, disbursements: 0 };
  writeTransaction(db, (tx) => {
    const defaultFund = findDefaultFund(tx)!.id;
    runSteps([...roundSteps(db, plan, people, deps, round), ...ledgerSteps(db, plan, people, deps, defaultFund)], clock);
    // One case, one disbursement, one line each.
    Object.assign(summary, {
      cases: summary.cases + round.cases,
      disbursements: summary.disbursements + round.disbursements,
      lines: summary.lines + round.disbursements,
    });
    const { seed, targets } = plan;
    markDemoDatabase(
      db,
      {
        seed,
        from: targets.from,
        to: targets.to,
        organizations: summary.organizations,
        users: summary.users,
        cases: summary.cases,
        disbursements: summary.disbursements,
      },
      options.now,
    );
  });
  return summary;
}
