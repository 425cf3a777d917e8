import { writeTransaction, type Db } from '../../../db/client.js';
import { visibleOrganization, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import type { ReportQuery } from './scope.js';

export type ExportFormat = 'summary.json' | 'summary.csv' | 'ledger.csv' | 'ledger.xlsx' | 'summary.xlsx' | 'freee.csv' | 'moneyforward.csv';

/** SPEC §7: every export is traceable — who, which filter, how many rows — in its own transaction. */
export function recordReportExport(
  db: Db,
  actor: Actor,
  input: { format: ExportFormat; query: ReportQuery; rows: number; encoding?: 'utf8' | 'sjis' },
  at: Date,
): void {
  const { query } = input;
  writeTransaction(db, (tx) =>
    recordAudit(tx, {
      action: 'report.exported',
      actorUserId: actor.userId,
      entityType: 'report',
      entityId: input.format,
      after: {
        format: input.format,
        from: query.from,
        to: query.to,
        organizationId: visibleOrganization(actor) ?? query.organizationId,
        fundId: query.fundId,
        includePending: query.includePending,
        ...(query.roundId ? { roundId: query.roundId } : {}),
        rows: input.rows,
        ...(input.encoding ? { encoding: input.encoding } : {}),
      },
      at,
    }),
  );
}
