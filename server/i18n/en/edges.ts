import type { edges as ja } from '../ja/edges.js';

export const edges: Record<keyof typeof ja, string> = {
  'receipts.pdfUnreadable': 'This PDF cannot be read, so it cannot be stored safely. Choose another PDF, or take a photo of the receipt and attach that.',
  'receipts.pdfEncrypted': 'A password-protected PDF cannot be stored. Attach an unprotected PDF or a photo of the receipt.',
  'receipts.tooManyPixels': 'This image is too large (at most 40 megapixels). Make it smaller and attach it again.',
  'validation.formatChars': 'Invisible control characters (such as text-direction marks) are not allowed. Remove them and type the text again.',
  'account.passwordLocked': 'Too many wrong current passwords: changing the password is paused. Wait about 15 minutes and try again.',
} as const;
