import type { Db, Tx } from '../../../db/client.js';
import { visibleOrganization, type Actor } from '../actor.js';
import type { Period } from '../periods.js';
import { allRows } from './sql.js';

/** A fund's own period (for the fund preset): undefined = no such fund, null = no full period. */
export function findFundPeriod(db: Db | Tx, fundId: number): Period | null | undefined {
  const [fund] = allRows<{ startsOn: string | null; endsOn: string | null }>(db, 'SELECT starts_on AS startsOn, ends_on AS endsOn FROM funds WHERE id = ?', [
    fundId,
  ]);
  if (!fund) return undefined;
  return fund.startsOn && fund.endsOn ? { from: fund.startsOn, to: fund.endsOn } : null;
}

/** The choices of the filter form: groups (not for a supporter, whose scope is fixed), funds, grant rounds. */
export function listReportFilters(db: Db | Tx, actor: Actor) {
  const organizations =
    visibleOrganization(actor) === null ? allRows<{ id: number; name: string }>(db, 'SELECT id, name FROM organizations ORDER BY name, id', []) : [];
  const funds = allRows<{ id: number; name: string; startsOn: string | null; endsOn: string | null }>(
    db,
    'SELECT id, name, starts_on AS startsOn, ends_on AS endsOn FROM funds ORDER BY is_default DESC, name, id',
    [],
  );
  const rounds = allRows<{ id: number; name: string }>(db, 'SELECT id, name FROM rounds ORDER BY starts_on DESC, id', []);
  return { organizations, funds, rounds };
}

/** Active period locks overlapping the range: the page marks those figures as final. */
export function listLocksOverlapping(db: Db | Tx, period: Period) {
  return allRows<{ startsOn: string; endsOn: string; note: string }>(
    db,
    `SELECT starts_on AS startsOn, ends_on AS endsOn, note FROM period_locks
     WHERE unlocked_at IS NULL AND starts_on <= ? AND ends_on >= ? ORDER BY starts_on`,
    [period.to, period.from],
  );
}
