import type { Db, Tx } from '../../../db/client.js';
import type { Actor } from '../actor.js';
import { resolveReportScope, scopeWhere, type ReportQuery } from '../figures/scope.js';
import { clientOf, prepared } from '../figures/sql.js';

/**
 * One line of one disbursement as the exports see it. No identity field exists here at all; the
 * payee is read only for actors who may see it (never auditors), and only exports that name a
 * provider use it.
 */
export interface LedgerEntry {
  disbursementId: number;
  line: number;
  caseCode: string;
  organization: string;
  paidOn: string;
  categoryCode: string;
  categoryJa: string;
  categoryEn: string;
  amount: number;
  fundId: number;
  fund: string;
  method: string;
  peopleCovered: number;
  status: string;
  submittedBy: string;
  submittedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  payee: string | null;
  /** Whether the figures count this line (voided ones are listed, never counted). */
  counted: boolean;
}

/** The payee may name a provider; auditors never see it (SPEC §5, §8). */
export const mayReadPayee = (actor: Actor): boolean => actor.role !== 'auditor';

/**
 * The ledger's lines for a query, streamed, through the actor's scope (the same resolveReportScope as every
 * figure), ordered by date, disbursement and line. withVoided adds the voided records.
 */
export function* iterateLedgerEntries(db: Db | Tx, actor: Actor, query: ReportQuery, options: { withVoided: boolean }): Generator<LedgerEntry> {
  const scope = resolveReportScope(db, actor, query);
  const { where, params } = scopeWhere(scope, 'l', options);
  const payee = mayReadPayee(actor) ? 'd.payee' : 'NULL';
  const statement = prepared(
    clientOf(db),
    `SELECT l.disbursement_id AS disbursementId, l.position + 1 AS line, c.code AS caseCode, o.name AS organization,
            l.paid_on AS paidOn, k.code AS categoryCode, k.label_ja AS categoryJa, k.label_en AS categoryEn, l.amount AS amount,
            l.fund_id AS fundId, f.name AS fund, d.method AS method, d.people_covered AS peopleCovered, d.status AS status,
            su.display_name AS submittedBy, d.submitted_at AS submittedAt,
            CASE WHEN d.status IN ('approved', 'voided') THEN du.display_name END AS approvedBy,
            CASE WHEN d.status IN ('approved', 'voided') THEN d.decided_at END AS approvedAt,
            d.voided_at AS voidedAt, d.void_reason AS voidReason, ${payee} AS payee
     FROM disbursement_lines AS l INDEXED BY lines_figures_idx
     JOIN disbursements AS d ON d.id = l.disbursement_id
     JOIN cases AS c ON c.id = l.case_id
     JOIN organizations AS o ON o.id = l.organization_id
     JOIN categories AS k ON k.id = l.category_id
     JOIN funds AS f ON f.id = l.fund_id
     JOIN users AS su ON su.id = d.submitted_by
     LEFT JOIN users AS du ON du.id = d.decided_by
     WHERE ${where}
     ORDER BY l.paid_on, l.disbursement_id, l.position`,
  );
  for (const r of statement.iterate(...params) as IterableIterator<Omit<LedgerEntry, 'counted'>>) yield { ...r, counted: r.status !== 'voided' };
}

/** The same lines in memory, for a workbook (which holds its whole sheet anyway). */
export function listLedgerEntries(db: Db | Tx, actor: Actor, query: ReportQuery, options: { withVoided: boolean }): LedgerEntry[] {
  return [...iterateLedgerEntries(db, actor, query, options)];
}
