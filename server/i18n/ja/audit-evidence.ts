// The ledger bound to the audit trail (issue 11 §3): what the /audit page says about it.
export const auditEvidence = {
  'audit.ledger.verified': '台帳も照合済み: 支給記録{count}件の状態・日付・金額が、それぞれの最後の監査記録と一致しています。',
  'audit.ledger.broken': '台帳と監査記録が一致しません: 支給記録{count}件が、アプリの外で変更された疑いがあります。',
  'audit.ledger.record': '支給記録 #{id}',
  'audit.ledger.problem.differs': '最後の監査記録のあとで、状態・日付・金額などが書き換えられています。',
  'audit.ledger.problem.missing': '監査記録にある支給記録が、台帳から消えています。',
  'audit.ledger.problem.unbound': '監査記録のない支給記録が、台帳にあります。',
  'audit.ledger.more': 'ほか{count}件（npm run audit:verify ですべて表示されます）',
} as const;
