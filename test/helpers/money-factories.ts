import { eq } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { cases, categories, disbursementLines, disbursements, funds, type DisbursementStatus } from '../../db/schema.js';

let caseSeq = 0;

/** A case inserted directly (no identifying fields), for tests that need one to hang money on. */
export function makeCase(
  db: Db,
  options: { organizationId: number; createdBy: number; householdSize?: number; residenceStatus?: string | null; nationality?: string | null; code?: string },
) {
  caseSeq += 1;
  return db
    .insert(cases)
    .values({
      organizationId: options.organizationId,
      code: options.code ?? `T${options.organizationId}-2025-${String(caseSeq).padStart(4, '0')}`,
      codeYear: 2025,
      codeSeq: caseSeq,
      householdSize: options.householdSize ?? 1,
      residenceStatus: (options.residenceStatus ?? null) as never,
      nationality: options.nationality ?? null,
      openedOn: '2025-01-01',
      createdBy: options.createdBy,
    })
    .returning()
    .get();
}

export function categoryId(db: Db, code: string): number {
  return db.select({ id: categories.id }).from(categories).where(eq(categories.code, code)).get()!.id;
}

export function defaultFundId(db: Db): number {
  return db.select({ id: funds.id }).from(funds).where(eq(funds.isDefault, true)).get()!.id;
}

/**
 * A disbursement with its lines inserted directly in one transaction, in any status: for
 * figures and workflow tests that need known data without walking the forms.
 */
export function makeDisbursement(
  db: Db,
  options: {
    caseId: number;
    submittedBy: number;
    paidOn?: string;
    status?: DisbursementStatus;
    fundId?: number;
    method?: 'cash' | 'bank_transfer' | 'paid_to_provider' | 'prepaid_card' | 'in_kind' | 'other';
    peopleCovered?: number;
    lines?: { category: string; amount: number }[];
    decidedBy?: number;
    payee?: string;
  },
) {
  return writeTransaction(db, (tx) => {
    const theCase = tx.select().from(cases).where(eq(cases.id, options.caseId)).get()!;
    const status = options.status ?? 'pending';
    const fundId = options.fundId ?? defaultFundId(db);
    const paidOn = options.paidOn ?? '2025-06-01';
    const row = tx
      .insert(disbursements)
      .values({
        caseId: theCase.id,
        organizationId: theCase.organizationId,
        paidOn,
        fundId,
        method: options.method ?? 'cash',
        peopleCovered: options.peopleCovered ?? theCase.householdSize,
        payee: options.payee ?? null,
        status,
        submittedBy: options.submittedBy,
        decidedBy: status === 'pending' ? null : (options.decidedBy ?? null),
        decidedAt: status === 'pending' ? null : '2025-06-02T00:00:00.000Z',
        rejectReason: status === 'rejected' ? 'test rejection' : null,
        voidReason: status === 'voided' ? 'test void' : null,
        voidedAt: status === 'voided' ? '2025-06-03T00:00:00.000Z' : null,
      })
      .returning()
      .get();
    (options.lines ?? [{ category: 'food', amount: 10_000 }]).forEach((line, position) => {
      tx.insert(disbursementLines)
        .values({
          disbursementId: row.id,
          position,
          categoryId: categoryId(db, line.category),
          amount: line.amount,
          status,
          paidOn,
          organizationId: theCase.organizationId,
          fundId,
          caseId: theCase.id,
        })
        .run();
    });
    return row;
  });
}

/** A new case in the submitter's group with one record on it entered by them (pending, one food line of 10,000 unless told). */
export function makeRecordOnNewCase(
  db: Db,
  submitter: { id: number; organizationId: number },
  content: Omit<Parameters<typeof makeDisbursement>[1], 'caseId' | 'submittedBy'> = {},
) {
  const theCase = makeCase(db, { organizationId: submitter.organizationId, createdBy: submitter.id });
  return makeDisbursement(db, { caseId: theCase.id, submittedBy: submitter.id, ...content });
}
