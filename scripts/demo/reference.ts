import type { DemoCategory } from './targets.js';

/**
 * The fictional cast and the distributions the demo draws from. Names are invented; the
 * distributions follow what support groups in Japan describe (many asylum seekers and people on
 * provisional release, mostly single adults, a minority of families).
 */
export const NETWORK_OFFICE = { code: 'NET', name: '全国緊急支援ネットワーク事務局', prefecture: '13' } as const;

/** Partner groups: code, name, prefecture, relative activity. */
export const PARTNER_GROUPS = [
  { code: 'TKY', name: 'とうきょう移住者ともだちの会', prefecture: '13', weight: 22 },
  { code: 'KNG', name: 'かながわ外国人すまいサポート', prefecture: '14', weight: 12 },
  { code: 'SAI', name: 'さいたま難民支援の会', prefecture: '11', weight: 12 },
  { code: 'IBK', name: 'いばらき移民ささえあいネット', prefecture: '08', weight: 9 },
  { code: 'NGY', name: 'なごや多文化ケアネット', prefecture: '23', weight: 10 },
  { code: 'OSK', name: 'おおさか移住者生活相談室', prefecture: '27', weight: 11 },
  { code: 'KOBE', name: 'こうべ難民と歩む会', prefecture: '28', weight: 6 },
  { code: 'KYT', name: 'きょうと外国人支援ひろば', prefecture: '26', weight: 4 },
  { code: 'HRS', name: 'ひろしま移住者ネット', prefecture: '34', weight: 3 },
  { code: 'FKO', name: 'ふくおか多文化共生サポート', prefecture: '40', weight: 5 },
  { code: 'SPR', name: 'さっぽろ外国人相談の会', prefecture: '01', weight: 3 },
  { code: 'OKN', name: 'おきなわ移住者よりそいネット', prefecture: '47', weight: 3 },
] as const;

export const STAFF_NAMES = [
  '佐藤 みどり',
  '鈴木 健太',
  '高橋 由美',
  '田中 誠',
  '伊藤 彩',
  '渡辺 翔',
  '山本 恵子',
  '中村 大輔',
  '小林 奈々',
  '加藤 亮',
  '吉田 真理',
  '山田 拓也',
  '松本 香織',
  '井上 直樹',
  '木村 葵',
  '林 聡',
  '清水 陽子',
  '山口 淳',
  '森 さやか',
  '池田 浩',
] as const;

export const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 55],
  [2, 15],
  [3, 12],
  [4, 10],
  [5, 4],
  [6, 3],
  [7, 1],
];

export const RESIDENCE_WEIGHTS = [
  ['refugee_applicant', 30],
  ['provisional_release', 22],
  ['no_status', 12],
  ['designated_activities', 10],
  ['technical_intern', 5],
  ['student', 4],
  ['specified_skilled', 3],
  ['dependent', 3],
  ['long_term_resident', 3],
  ['spouse_of_japanese', 2],
  ['permanent_resident', 1],
  ['other', 2],
  ['unknown', 3],
] as const;

export const NATIONALITY_WEIGHTS = [
  ['TR', 10],
  ['MM', 10],
  ['VN', 10],
  ['LK', 8],
  ['PH', 8],
  ['NP', 7],
  ['BD', 5],
  ['PK', 5],
  ['IR', 4],
  ['NG', 4],
  ['CM', 4],
  ['AF', 4],
  ['UG', 3],
  ['KH', 3],
  ['ID', 3],
  ['CN', 3],
  ['CD', 2],
  ['PE', 2],
  ['BR', 2],
  ['GH', 2],
  ['unknown', 3],
] as const;

export const GENDER_WEIGHTS = [
  ['male', 55],
  ['female', 40],
  ['nonbinary', 1],
  ['unknown', 4],
] as const;

/** The age band of the person the case is about (a household's contact person). */
export const AGE_WEIGHTS = [
  ['18-29', 30],
  ['30-49', 45],
  ['50-64', 17],
  ['65+', 5],
  ['0-17', 3],
] as const;

/** Prefectures people move to when they leave a group's area (a case keeps its group). */
export const OTHER_PREFECTURES = ['13', '11', '12', '14', '08', '23', '27', '22', '10', '09'] as const;

/** A line's usual size, its spread, and how round people's payments of it are. */
export const LINE_SHAPES: Record<DemoCategory, { typical: number; sigma: number; roundTo: number }> = {
  shelter: { typical: 55_000, sigma: 0.45, roundTo: 1000 },
  food: { typical: 25_000, sigma: 0.55, roundTo: 10 },
  medical: { typical: 30_000, sigma: 0.8, roundTo: 10 },
  utilities: { typical: 18_000, sigma: 0.5, roundTo: 1 },
  repatriation: { typical: 150_000, sigma: 0.3, roundTo: 100 },
  tuition: { typical: 45_000, sigma: 0.4, roundTo: 100 },
  other: { typical: 15_000, sigma: 0.6, roundTo: 10 },
};

type Method = 'cash' | 'bank_transfer' | 'paid_to_provider' | 'prepaid_card' | 'in_kind' | 'other';
/** How the money usually reaches people for a disbursement led by each category. */
export const METHOD_WEIGHTS: Record<DemoCategory, readonly (readonly [Method, number])[]> = {
  shelter: [
    ['paid_to_provider', 45],
    ['bank_transfer', 35],
    ['cash', 20],
  ],
  food: [
    ['cash', 45],
    ['prepaid_card', 30],
    ['in_kind', 25],
  ],
  medical: [
    ['paid_to_provider', 50],
    ['cash', 50],
  ],
  utilities: [
    ['bank_transfer', 40],
    ['cash', 40],
    ['paid_to_provider', 20],
  ],
  repatriation: [
    ['paid_to_provider', 60],
    ['bank_transfer', 40],
  ],
  tuition: [
    ['paid_to_provider', 70],
    ['bank_transfer', 30],
  ],
  other: [
    ['cash', 70],
    ['other', 30],
  ],
};

/** Payees as kinds, never names: a demo must not point at anyone. */
export const PROVIDER_PAYEES: Record<DemoCategory, string> = {
  shelter: '不動産管理会社',
  food: '食料品店',
  medical: '医療機関',
  utilities: '電力・ガス会社',
  repatriation: '航空会社',
  tuition: '学校',
  other: '支払先',
};

/** Notes for disbursements with an "other" line (the category requires one). */
export const OTHER_NOTES = ['入管への交通費', '在留手続きの書類取得費', '衣類・寝具の購入', '携帯電話の端末代', '通訳・翻訳費'] as const;

export const REJECT_REASONS = [
  '領収書の金額と申請額が一致しません。領収書を確認のうえ再申請してください。',
  '同じ支出がすでに登録されています（重複申請）。',
  '支援の上限額を超えています。事務局にご相談ください。',
  '対象期間外の家賃が含まれています。',
] as const;

export const VOID_DUPLICATE_REASON = '二重登録のため取り消し（同じ支給が別の記録で承認済み）';
export const VOID_REASONS = ['金額の入力誤りのため取り消し。正しい金額で再登録済み。', '支給先ケースの選択誤りのため取り消し。'] as const;
