// Import round trip (issue 12): 状態 and 団体 columns, rows left out on purpose, notes a moved ledger lacks.
export const importsMore = {
  'imports.field.status': '状態（承認済・承認待ち・取消）',
  'imports.field.organization': '団体（別の団体の行は取り込まない）',
  'imports.unknownStatus': '「{word}」は状態として読めません（承認済・承認待ち・取消のいずれか）',
  'imports.unknownOrganization': '「{word}」という団体はありません',
  'imports.count.skippedVoided': '取消・差し戻し・取り下げのため取り込まない行: {count}（集計に入りません）',
  'imports.count.skippedOtherOrganization': 'ほかの団体の行のため取り込まない行: {count}',
  'imports.count.skippedTotals': '合計行として読み飛ばす行: {count}',
  'imports.missingNote': '備考が必要な区分で備考が空の記録に入れる備考',
  'imports.missingNoteHint': '「その他」などは備考が必要です。移行元に備考がない場合（書き出した台帳など）に使います。',
  'imports.missingNoteInvalid': '1000文字以内で、制御文字を含めずに書いてください',
  'exports.cond.round': '助成ラウンド（このラウンドの支給だけ）',
} as const;
