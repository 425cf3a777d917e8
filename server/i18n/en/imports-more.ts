import type { importsMore as ja } from '../ja/imports-more.js';

// Import round trip (issue 12): status and group columns, rows left out on purpose, notes a moved ledger lacks.
export const importsMore: Record<keyof typeof ja, string> = {
  'imports.field.status': 'Status (approved, pending, voided)',
  'imports.field.organization': 'Group (rows of another group are not imported)',
  'imports.unknownStatus': '“{word}” is not a status (approved, pending or voided)',
  'imports.unknownOrganization': 'There is no group named “{word}”',
  'imports.count.skippedVoided': 'Rows left out as voided, rejected or withdrawn: {count} (not counted in figures)',
  'imports.count.skippedOtherOrganization': 'Rows left out as another group’s: {count}',
  'imports.count.skippedTotals': 'Totals lines passed over: {count}',
  'imports.missingNote': 'Note for records whose category needs one and whose row has none',
  'imports.missingNoteHint': '“Other” and similar categories need a note. Use this when the source has no notes (an exported ledger, for example).',
  'imports.missingNoteInvalid': 'Up to 1000 characters, without control characters',
  'exports.cond.round': 'Grant round (this round’s records only)',
};
