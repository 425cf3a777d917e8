import type { Db, Tx } from '../../../db/client.js';
import type { Locale } from '../../../db/schema.js';
import { translator } from '../../i18n/index.js';
import type { Actor } from '../actor.js';
import { encodeCsv, type CsvCell, type CsvEncoding, type CsvOutcome } from '../csv-export.js';
import type { ReportQuery } from '../figures/scope.js';
import { loadAccountingMap, TAX_CLASS } from './accounting-map.js';
import { ledgerWords } from './ledger-columns.js';
import { iterateLedgerEntries, type LedgerEntry } from './ledger-rows.js';

/** freee 取引インポート: the columns of freee's published sample file, in its order (21). */
export const FREEE_HEADER = [
  '収支区分',
  '管理番号',
  '発生日',
  '決済期日',
  '取引先コード',
  '取引先',
  '勘定科目',
  '税区分',
  '金額',
  '税計算区分',
  '税額',
  '備考',
  '品目',
  '部門',
  'メモタグ（複数指定可、カンマ区切り）',
  'セグメント1',
  'セグメント2',
  'セグメント3',
  '決済日',
  '決済口座',
  '決済金額',
] as const;

/** MoneyForward クラウド会計 仕訳帳インポート: the template's columns A–AA, in its order (27). */
export const MONEYFORWARD_HEADER = [
  '取引No',
  '取引日',
  '借方勘定科目',
  '借方補助科目',
  '借方部門',
  '借方取引先',
  '借方税区分',
  '借方インボイス',
  '借方金額(円)',
  '借方税額',
  '貸方勘定科目',
  '貸方補助科目',
  '貸方部門',
  '貸方取引先',
  '貸方税区分',
  '貸方インボイス',
  '貸方金額(円)',
  '貸方税額',
  '摘要',
  '仕訳メモ',
  'タグ',
  'MF仕訳タイプ',
  '決算整理仕訳',
  '作成日時',
  '作成者',
  '最終更新日時',
  '最終更新者',
] as const;

/** Both vendors read dates as YYYY/MM/DD. */
const slashDate = (isoDate: string) => isoDate.replaceAll('-', '/');

/**
 * 取引先 only when the money went to a provider (landlord, hospital, school): aid paid to the
 * person must not put their name into the books. Auditors never get a payee at all (ledger-rows).
 */
const partnerOf = (e: LedgerEntry) => (e.method === 'paid_to_provider' && e.payee ? e.payee : '');

/** 備考 / 摘要: the case code and the record, never a name or the free-text note. */
function memoOf(e: LedgerEntry, category: string): string {
  return `${e.caseCode} ${category} 支給記録#${e.disbursementId}-${e.line} ${e.fund}`;
}

/**
 * The lines the figures count (approved; pending too with includePending), in the actor's scope:
 * an accountant books what the report says, and voided records never reach the books.
 */
const countedEntries = (db: Db | Tx, actor: Actor, query: ReportQuery) => iterateLedgerEntries(db, actor, query, { withVoided: false });
const recordOf = (e: LedgerEntry) => `#${e.disbursementId}`;

export function buildFreeeCsv(db: Db | Tx, actor: Actor, query: ReportQuery, locale: Locale, encoding: CsvEncoding): CsvOutcome {
  const words = ledgerWords(translator(locale), locale);
  const accounts = loadAccountingMap(db);
  const cells = (e: LedgerEntry): CsvCell[] => [
    '支出',
    `${e.disbursementId}-${e.line}`,
    slashDate(e.paidOn),
    '',
    '',
    partnerOf(e),
    accounts.debit(e.categoryCode),
    TAX_CLASS,
    e.amount,
    '',
    '',
    memoOf(e, words.category(e)),
    '',
    '',
    '',
    '',
    '',
    '',
    slashDate(e.paidOn),
    accounts.credit(e.fundId, e.method),
    e.amount,
  ];
  return encodeCsv({ header: [...FREEE_HEADER], items: countedEntries(db, actor, query), cells, record: recordOf }, encoding);
}

/** One 取引No per disbursement: its lines form one balanced compound journal (同一取引日・同一取引No). */
export function buildMoneyForwardCsv(db: Db | Tx, actor: Actor, query: ReportQuery, locale: Locale, encoding: CsvEncoding): CsvOutcome {
  const words = ledgerWords(translator(locale), locale);
  const accounts = loadAccountingMap(db);
  let number = 0;
  let previous: number | null = null;
  const cells = (e: LedgerEntry): CsvCell[] => {
    if (e.disbursementId !== previous) number += 1;
    previous = e.disbursementId;
    const partner = partnerOf(e);
    return [
      number,
      slashDate(e.paidOn),
      accounts.debit(e.categoryCode),
      '',
      '',
      partner,
      TAX_CLASS,
      '',
      e.amount,
      '',
      accounts.credit(e.fundId, e.method),
      '',
      '',
      partner,
      TAX_CLASS,
      '',
      e.amount,
      '',
      memoOf(e, words.category(e)),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ];
  };
  return encodeCsv({ header: [...MONEYFORWARD_HEADER], items: countedEntries(db, actor, query), cells, record: recordOf }, encoding);
}
