// Phones in the field: drafts on the device, the queue of submissions made without a signal, the offline page.
export const offline = {
  'offline.title': '接続がありません',
  'offline.lead': '電波が戻ると、送信待ちの記録は自動で送られます。このページを開いたままにしてください。',
  'offline.listTitle': 'この端末に保存されているもの',
  'offline.empty': '保存されている下書きや送信待ちはありません。',
  'offline.retry': 'もう一度つなぐ',
  'offline.restored': '前回入力した下書きを戻しました。',
  'offline.queued': '接続がないため、この端末に保存しました。電波が戻ると自動で送信します。',
  'offline.failed': 'この端末に保存できませんでした。電波が戻ってからもう一度送ってください。',
  'offline.state.draft': '下書き：',
  'offline.state.waiting': '送信待ち：',
  'offline.state.sent': '送信済み：',
  'offline.state.refused': '要確認（フォームを開いて直してください）：',
} as const;
