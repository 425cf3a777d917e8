// The ledger bound to the audit trail (issue 11 §3): what the /audit page says about it.
export const auditEvidence = {
  'audit.ledger.verified': 'Ledger checked too: disbursements compared: {count}; each matches its last audit event in status, date and amounts.',
  'audit.ledger.broken': 'The ledger does not match the audit trail. Disbursements that may have been changed outside the app: {count}.',
  'audit.ledger.record': 'Disbursement #{id}',
  'audit.ledger.problem.differs': 'its status, date, amounts or other money fields were changed after its last audit event.',
  'audit.ledger.problem.missing': 'the audit trail vouches for it, but it is gone from the ledger.',
  'audit.ledger.problem.unbound': 'it is in the ledger, but no audit event vouches for it.',
  'audit.ledger.more': 'More not listed here: {count} (npm run audit:verify lists them all).',
} as const;
