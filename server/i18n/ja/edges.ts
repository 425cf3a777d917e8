// Messages for the privacy and robustness rules at the edges (issue 11 §2, §4).
export const edges = {
  'receipts.pdfUnreadable': 'このPDFは読み込めないため、安全に保存できませんでした。別のPDFを選ぶか、領収書を写真で撮って添付してください。',
  'receipts.pdfEncrypted': 'パスワードで保護されたPDFは保存できません。保護を外したPDFか、領収書の写真を添付してください。',
  'receipts.tooManyPixels': '画像が大きすぎます（4,000万画素まで）。小さくしてから添付してください。',
  'validation.formatChars': '見えない制御文字（文字の向きを変える記号など）は使えません。削除してから入力し直してください。',
  'account.passwordLocked': '現在のパスワードの誤りが続いたため、しばらく変更できません。15分ほど待ってからもう一度お試しください。',
} as const;
