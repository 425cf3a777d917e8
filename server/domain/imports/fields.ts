import { ownCatalogs } from '../../i18n/index.js';
import { stripRuby } from '../../i18n/ruby.js';
import { headerMatcher } from './headers.js';

/** The fields a sheet's columns can be mapped to, and the header words that propose each one (matching: headers.ts). */
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
 * UI languages, is a synonym of the field it holds, so a round trip needs no manual mapping.
 */
const LEDGER_COLUMN_FIELDS: Partial<Record<string, ImportField>> = {
  disbursementId: 'voucher',
  caseCode: 'caseRef',
  organization: 'organization',
  paidOn: 'paidOn',
  category: 'category',
  amount: 'amount',
  fund: 'fund',
  method: 'method',
  peopleCovered: 'peopleCovered',
  status: 'status',
};
for (const catalog of Object.values(ownCatalogs) as Record<string, string>[])
  for (const [column, field] of Object.entries(LEDGER_COLUMN_FIELDS)) {
    const title = catalog[`exports.col.${column}`];
    if (title !== undefined) SYNONYMS[field!].push(stripRuby(title));
  }

const matcher = headerMatcher(IMPORT_FIELDS, SYNONYMS);

export const fieldForHeader = matcher.fieldForHeader;

/** Column index per field: each field takes the first header that names it; a column serves one field. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export const proposeMapping: (headers: string[]) => ColumnMapping = matcher.proposeMapping;
