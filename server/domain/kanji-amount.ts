// 受領書 write the amount in 大字 so that it cannot be altered by adding a stroke (一 → 二 → 三 → 十).

const DIGITS = ['', '壱', '弐', '参', '四', '五', '六', '七', '八', '九'] as const;
const SMALL_UNITS = ['', '拾', '百', '千'] as const;
const LARGE_UNITS = ['', '万', '億', '兆'] as const;

/** Largest amount written: just under 1京 円, far beyond any disbursement. */
export const MAX_KANJI_AMOUNT = 10_000_000_000_000_000 - 1;

/** A four-digit group (1..9999) in 大字, every digit spelled out including 壱 (壱千, 壱百, 壱拾). */
function groupInKanji(group: number): string {
  let out = '';
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(group / 10 ** place) % 10;
    if (digit > 0) out += DIGITS[digit]! + SMALL_UNITS[place]!;
  }
  return out;
}

/** The amount in words as receipts write it: 12000 → 「金壱万弐千円也」. Refuses 0, negatives and fractions. */
export function yenInKanji(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_KANJI_AMOUNT) {
    throw new RangeError('amount must be a whole number of yen from 1 upwards');
  }
  let words = '';
  let rest = amount;
  for (let unit = 0; rest > 0; unit++) {
    const group = rest % 10_000;
    if (group > 0) words = groupInKanji(group) + LARGE_UNITS[unit]! + words;
    rest = Math.floor(rest / 10_000);
  }
  return `金${words}円也`;
}
