// Caps per case and duplicate warnings (issue 14 §2).
export const limits = {
  'limits.warningsTitle': '確認が必要です',
  'limits.overCap': '上限超過: {category}は1ケース{days}日間で{cap}まで。既に{already}、今回{adding}。',
  'limits.duplicate': '重複の可能性: 同じケース・同じ区分（{category}）で{date}に{amount}の記録 #{id} があります。',
  'limits.overCapReason': '上限を超える理由',
  'limits.overCapReasonHint': '審査する人に表示されます。個人が特定される内容は書かないでください。',
  'limits.overCapReasonRequired': '上限を超えて登録するには理由を入力してください。',
  'limits.duplicateConfirm': '重複ではないことを確認しました',
  'limits.duplicateConfirmRequired': '重複ではないことを確認してチェックを入れてください。',
  'limits.flagsTitle': '登録時の警告',
  'limits.flag.over_cap': '上限超過',
  'limits.flag.duplicate': '重複の可能性',
  'limits.seeOther': 'もう一方の記録',
  'limits.reasonGiven': '理由: {reason}',
  'limits.recordsOverCap': '上限超過の記録: {n}件',
} as const;
