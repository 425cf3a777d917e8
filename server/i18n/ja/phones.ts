// Phones in the field (issue 16): receipts kept across a form error, camera first, the short form.
export const phones = {
  'phones.heldTitle': '選んだ領収書（まだ保存されていません）',
  'phones.heldNote': '「記録する」を押すと、この領収書も一緒に保存されます。1時間を過ぎると消えます。',
  'phones.heldImage': '選んだ領収書 {n}（写真）',
  'phones.heldPdf': '選んだ領収書 {n}（PDF、{size}）',
  'phones.heldRemove': '削除',
  'phones.heldExpired': '前に選んだ領収書の保存期限（1時間）が過ぎました。もう一度選んでください。',
  'phones.receiptHint': '写真（JPEG・PNG・WebP・HEIC）かPDF、1ファイル10MBまで、1件につき5ファイルまで。iPhoneの写真（HEIC）はJPEGに変換し、位置情報などは保存時に削除されます。',
  'phones.camera': 'カメラで撮る',
  'phones.file': 'ファイルを選ぶ',
  'phones.chooseRequired': '選んでください。',
  'phones.fundDefault': '{name}（既定）',
  'phones.fundHint': 'この支給に使う財源を選んでください。既定は「{name}」です。',
  'phones.reportFilters': '期間や条件を変える',
  'phones.printedOn': '印刷日 {date}',
} as const;
