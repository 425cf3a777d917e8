// The message keys, typed from the Japanese (source) catalog files: one line per area.
// Adding an area (server/i18n/locales/ja/<area>.json)? Add its line here too, so TS code can use its keys.
type Area<T> = keyof T;
export type MessageKey =
  | Area<typeof import('./locales/ja/accounts.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/acknowledgment.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/admin.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/audit-evidence.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/audit-words.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/auth.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/cases.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/common.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/disbursements.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/edges.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/exports.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/find.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/fund-money.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/imports.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/limits.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/locale-words.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/matches.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/offline.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/public-figures.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/reports.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/review-volume.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/review.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/rounds.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/funds-more.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/imports-more.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/mail.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/passkeys.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/phones.json', { with: { type: 'json' } })>
  | Area<typeof import('./locales/ja/languages.json', { with: { type: 'json' } })>;
