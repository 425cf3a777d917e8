// The whole schema of SPEC §2; split by subject so each file stays readable.

export * from './schema/people.js';
export * from './schema/cases.js';
export * from './schema/money.js';
export * from './schema/trust.js';
export * from './schema/sharing.js';
export * from './schema/accounting.js';
export * from './schema/imports.js';
export * from './schema/rounds.js';
export * from './schema/limits.js';
export * from './schema/fund-money.js';
export * from './schema/person-matches.js';
export * from './schema/review.js';
export * from './schema/accounts.js';
export * from './schema/retention.js';
export * from './schema/passkeys.js';
export * from './schema/settings.js';
export * from './schema/mail.js';
export * from './schema/bell.js';
export * from './schema/money-in-imports.js';
export * from './schema/uploads.js';
