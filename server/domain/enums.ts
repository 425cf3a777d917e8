/**
 * The fixed vocabularies forms, routes and views choose from. They are defined beside the
 * columns whose CHECK constraints hold them (db/schema), because db/ imports nothing from the
 * domain; everything above the domain takes them from here, so a form never reaches into the
 * schema. To add a value: change the schema constant and generate a migration (the CHECK changes).
 */
export {
  AGE_BANDS,
  CASE_STATUSES,
  DISBURSEMENT_STATUSES,
  GENDERS,
  LOCALES,
  MATCH_DECISIONS,
  METHODS,
  MONEY_SOURCES,
  RECEIVED_BY,
  RESIDENCE_STATUSES,
  ROLES,
  ROUND_UNITS,
} from '../../db/schema.js';
export type { DisbursementStatus, Locale, MatchDecision, MoneySource, Role, RoundUnit } from '../../db/schema.js';
