import type { DisbursementStatus, METHODS, Role } from '../../db/schema.js';
import type { CaseProfile } from '../../server/domain/cases.js';
import type { DemoCategory, DemoTargets } from './targets.js';

export type Method = (typeof METHODS)[number];

export interface PlannedOrganization {
  code: string;
  name: string;
  prefecture: string;
}

export interface PlannedUser {
  email: string;
  displayName: string;
  role: Role;
  isAdmin: boolean;
  orgCode: string;
}

export interface PlannedFund {
  name: string;
  budget: number | null;
  startsOn: string | null;
  endsOn: string | null;
  /** The default fund already exists (seeded by the migration); it is reused, not created. */
  isDefault: boolean;
}

/** A case while the plan is being made: its code is given once every opening date is known. */
export interface CaseDraft extends CaseProfile {
  orgCode: string;
  /** Month index (in the target period) of its latest counted visit, for returning cases. */
  lastMonth: number;
  hasRepatriation: boolean;
}

export interface PlannedLine {
  category: DemoCategory;
  amount: number;
}

/** A disbursement while the plan is being made. */
export interface VisitDraft {
  case: CaseDraft;
  paidOn: string;
  month: number;
  peopleCovered: number;
  lines: PlannedLine[];
  status: DisbursementStatus;
  /** Part of the target figures (approved, inside the period). */
  counted: boolean;
  isLastOfCase: boolean;
  rejectReason?: string;
  voidReason?: string;
}

export interface PlannedCase extends Omit<CaseDraft, 'lastMonth' | 'hasRepatriation'> {
  code: string;
  codeYear: number;
  codeSeq: number;
  status: 'open' | 'closed';
  openedOn: string;
  closedOn: string | null;
  createdBy: string;
  createdAt: string;
}

export interface PlannedDisbursement {
  caseCode: string;
  paidOn: string;
  fundName: string;
  method: Method;
  peopleCovered: number;
  payee: string | null;
  note: string | null;
  status: DisbursementStatus;
  version: number;
  submittedBy: string;
  submittedAt: string;
  updatedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  voidedBy: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  lines: PlannedLine[];
  counted: boolean;
}

export interface PlannedLock {
  startsOn: string;
  endsOn: string;
  note: string;
  lockedBy: string;
  lockedAt: string;
}

export interface DemoPlan {
  targets: DemoTargets;
  seed: number;
  organizations: PlannedOrganization[];
  users: PlannedUser[];
  funds: PlannedFund[];
  cases: PlannedCase[];
  /** In the order they were submitted. */
  disbursements: PlannedDisbursement[];
  periodLocks: PlannedLock[];
}
