import { exportFiles as enExports } from '../../i18n/en/exports.js';
import { exportFiles as jaExports } from '../../i18n/ja/exports.js';

/**
 * The fields a sheet's columns can be mapped to, and the header words that propose each one.
 * Matching folds width, case, spaces and brackets, so 「支給日（実績）」 and 'Paid on' both match.
 */
export const IMPORT_FIELDS = [
  'paidOn',
  'amount',
  'category',
  'caseRef',
  'voucher',
  'peopleCovered',
  'method',
  'fund',
  'payee',
  'note',
  'householdSize',
  'alias',
  'contact',
  'status',
  'organization',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Without these a row cannot become a disbursement line. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['paidOn', 'amount', 'category', 'caseRef'];
/** Identity columns (SPEC §8): encrypted on the case they create, never shown back or hashed in clear. */
export const IDENTITY_FIELDS: readonly ImportField[] = ['alias', 'contact'];

const SYNONYMS: Record<ImportField, string[]> = {
  paidOn: ['日付', '支給日', '支払日', '支出日', '年月日', '実施日', '取引日', '発生日', 'date', 'paidon', 'paiddate', 'dateofpayment'],
  amount: ['金額', '支給額', '支出額', '支払額', '金額円', '金額(円)', '支給金額', 'amount', 'yen', 'amountyen'],
  category: ['区分', 'カテゴリ', 'カテゴリー', '支出区分', '費目', '用途', '科目', 'category', 'type'],
  caseRef: ['ケース番号', 'ケースid', 'ケースコード', 'ケース', '相談番号', '受付番号', '管理番号', 'case', 'caseno', 'caseid', 'casecode', 'casenumber'],
  voucher: ['伝票番号', '支給番号', '記録番号', '記録id', '支給id', '取引no', 'voucher', 'recordid', 'disbursementid', 'id', 'no'],
  peopleCovered: ['人数', '対象人数', '支給人数', 'people', 'peoplecovered', 'persons'],
  method: ['支給方法', '支払方法', '方法', '手段', 'method', 'paymentmethod'],
  fund: ['財源', '基金', '事業', '助成', 'fund', 'source'],
  payee: ['支払先', '支給先', '取引先', 'payee'],
  note: ['備考', 'メモ', '摘要', '内容', 'note', 'notes', 'memo', 'remarks'],
  householdSize: ['世帯人数', '世帯人員', 'household', 'householdsize'],
  alias: ['氏名', '名前', '仮名', '通称', 'name', 'alias'],
  contact: ['連絡先', '電話', '電話番号', 'contact', 'phone'],
  status: ['状態', '状況', 'ステータス', '承認状況', 'status', 'state'],
  organization: ['団体', '団体名', '組織', 'group', 'organization', 'organisation'],
};

/**
 * The app's own ledger export (CSV or XLSX) read back: each of its column titles, in both
 * languages, is a synonym of the field it holds, so a round trip needs no manual mapping.
 */
const LEDGER_COLUMN_FIELDS: Partial<Record<string, ImportField>> = {
  disbursementId: 'voucher', caseCode: 'caseRef', organization: 'organization', paidOn: 'paidOn', category: 'category',
  amount: 'amount', fund: 'fund', method: 'method', peopleCovered: 'peopleCovered', status: 'status',
};
for (const catalog of [jaExports, enExports] as Record<string, string>[])
  for (const [column, field] of Object.entries(LEDGER_COLUMN_FIELDS)) SYNONYMS[field!].push(catalog[`exports.col.${column}`]!);

/** Header text folded for comparison: NFKC, lower case, no spaces, brackets or separators. */
export function foldHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-・:：/]+/g, '')
    .replace(/[()（）[\]【】「」]/g, '');
}

const FOLDED = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, SYNONYMS[f].map(foldHeader)])) as Record<ImportField, string[]>;

/** The field a header names, if any: an exact synonym first, then a header that starts with one (金額（税込）). */
export function fieldForHeader(header: string): ImportField | null {
  const folded = foldHeader(header);
  if (folded === '') return null;
  for (const f of IMPORT_FIELDS) if (FOLDED[f].includes(folded)) return f;
  for (const f of IMPORT_FIELDS) if (FOLDED[f].some((s) => s.length >= 2 && folded.startsWith(s))) return f;
  return null;
}

/** Column index per field: each field takes the first header that names it; a column serves one field. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export function proposeMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  headers.forEach((header, i) => {
    const field = fieldForHeader(header);
    if (field && mapping[field] === undefined) mapping[field] = i;
  });
  return mapping;
}
