import type { Db } from '../../db/client.js';
import { createCase, profileOf, updateCase, type CaseDeps } from '../../server/domain/cases.js';
import { createDisbursement } from '../../server/domain/disbursements.js';
import { createFund } from '../../server/domain/funds.js';
import { createPeriodLock } from '../../server/domain/period-locks.js';
import { todayInTokyo } from '../../server/domain/dates.js';
import { approveDisbursement, rejectDisbursement, voidDisbursement, withdrawDisbursement } from '../../server/domain/workflow.js';
import type { DemoPeople } from './people.js';
import { earliest, idOf, latest, shiftMinutes, type Step } from './steps.js';
import type { DemoPlan, PlannedDisbursement } from './types.js';

const NO_IDENTITY = { alias: null, contact: null, notes: null };
// A reviewer who went past a warning says why; the demo's supporters checked with the office.
const ACKNOWLEDGED = { overCapReason: '事務局に相談のうえ申請', duplicateConfirmed: true };

/**
 * The campaign years as steps: grants opened, cases opened and closed by their groups,
 * disbursements submitted by supporters and decided, voided or withdrawn, the first fiscal year
 * locked. Every step is a domain call, so every rule and audit event is the app's own.
 */
export function ledgerSteps(db: Db, plan: DemoPlan, people: DemoPeople, deps: CaseDeps, defaultFundId: number): Step[] {
  const steps: Step[] = [];
  const fundId = new Map<string, number>();
  for (const f of plan.funds) {
    if (f.isDefault) {
      fundId.set(f.name, defaultFundId);
      continue;
    }
    // A grant is entered a week before its fiscal year starts.
    const at = shiftMinutes(`${f.startsOn}T01:00:00.000Z`, -7 * 24 * 60);
    steps.push({
      at,
      rank: 0,
      run: (now) => fundId.set(f.name, createFund(db, people.admin, { name: f.name, budget: f.budget, startsOn: f.startsOn, endsOn: f.endsOn }, now)),
    });
  }

  const byCase = new Map<string, PlannedDisbursement[]>();
  for (const d of plan.disbursements) byCase.set(d.caseCode, [...(byCase.get(d.caseCode) ?? []), d]);
  const caseId = new Map<string, number>();
  for (const c of plan.cases) {
    const submissions = (byCase.get(c.code) ?? []).map((d) => d.submittedAt);
    // Opened before its first disbursement is logged, closed after its last.
    const openedAt = earliest(c.createdAt, ...submissions.map((s) => shiftMinutes(s, -1)));
    // createCase reads the time from deps.clock, which runSteps has set.
    steps.push({
      at: openedAt,
      rank: 1,
      run: () => {
        const created = createCase(
          db,
          people.actorOf(c.createdBy),
          { ...profileOf(c), ...NO_IDENTITY, organizationId: null, idempotencyKey: `demo-case-${c.code}` },
          deps,
        );
        caseId.set(c.code, idOf(created.location));
      },
    });
    if (c.closedOn) {
      const closedAt = latest(`${c.closedOn}T01:00:00.000Z`, ...submissions.map((s) => shiftMinutes(s, 1)));
      steps.push({
        at: closedAt,
        rank: 4,
        run: () => updateCase(db, people.actorOf(c.createdBy), caseId.get(c.code)!, { ...profileOf(c), ...NO_IDENTITY, status: 'closed' }, deps),
      });
    }
  }

  plan.disbursements.forEach((d, index) => {
    let id = 0;
    let version = 1;
    steps.push({
      at: d.submittedAt,
      rank: 2,
      run: (now) => {
        const input = {
          caseId: caseId.get(d.caseCode)!,
          paidOn: d.paidOn,
          fundId: fundId.get(d.fundName)!,
          method: d.method,
          peopleCovered: d.peopleCovered,
          payee: d.payee,
          note: d.note,
          lines: d.lines,
          acknowledgement: ACKNOWLEDGED,
          receipts: [],
          idempotencyKey: `demo-disbursement-${index}`,
        };
        id = idOf(createDisbursement(db, people.actorOf(d.submittedBy), input, now).location);
      },
    });
    const decide = (at: string, rank: number, act: (now: Date) => { version: number }) => steps.push({ at, rank, run: (now) => ({ version } = act(now)) });
    if (d.status !== 'pending') {
      const by = people.actorOf(d.decidedBy!);
      decide(d.decidedAt!, 3, (now) => {
        if (d.status === 'rejected') return rejectDisbursement(db, by, id, { expectedVersion: version, reason: d.rejectReason! }, now);
        if (d.status === 'withdrawn') return withdrawDisbursement(db, by, id, { expectedVersion: version }, now);
        return approveDisbursement(db, by, id, { expectedVersion: version }, now);
      });
    }
    if (d.status === 'voided') {
      decide(d.voidedAt!, 5, (now) => voidDisbursement(db, people.actorOf(d.voidedBy!), id, { expectedVersion: version, reason: d.voidReason! }, now));
    }
  });

  for (const l of plan.periodLocks) {
    steps.push({
      at: l.lockedAt,
      rank: 6,
      run: (now) => {
        createPeriodLock(db, people.actorOf(l.lockedBy), { startsOn: l.startsOn, endsOn: l.endsOn, note: l.note }, todayInTokyo({ now: () => now }), now);
      },
    });
  }
  return steps;
}
