import type { Tx } from '../../../db/client.js';
import { categories, METHODS, organizations } from '../../../db/schema.js';
import type { RowVocabulary } from '../../forms/import-row.js';
import { translator } from '../../i18n/index.js';
import type { Actor } from '../actor.js';
import { categoryLabel } from '../categories.js';
import type { FieldCipher } from '../field-crypto.js';
import { listActiveFunds } from '../funds.js';
import { clientOf, prepared } from '../figures/sql.js';
import { listActiveLocks } from '../period-locks.js';
import type { PlanLookups } from './plan.js';
import { SHEET_STATUSES } from './status-words.js';
import { foldWord } from './words.js';

/** The words and lists a row is read against: categories, method labels in both languages, funds. */
export function rowVocabulary(tx: Tx, today: string): RowVocabulary {
  const all = tx.select().from(categories).all();
  const funds = new Map(listActiveFunds(tx).map((f) => [foldWord(f.name), f.id]));
  const [ja, en] = [translator('ja'), translator('en')];
  const methodLabels = Object.fromEntries(METHODS.map((m) => [m, [ja(`methods.${m}`), en(`methods.${m}`)]]));
  const statusLabels = Object.fromEntries(SHEET_STATUSES.map((s) => [s, [ja(`disbursements.status.${s}`), en(`disbursements.status.${s}`)]]));
  const orgs = new Map<string, number>();
  for (const o of tx.select({ id: organizations.id, name: organizations.name, code: organizations.code }).from(organizations).all()) {
    orgs.set(foldWord(o.code), o.id);
    orgs.set(foldWord(o.name), o.id);
  }
  return {
    today,
    categories: all,
    methodLabels,
    statusLabels,
    fundIdByName: (name) => funds.get(foldWord(name)) ?? null,
    organizationIdByName: (name) => orgs.get(foldWord(name)) ?? null,
  };
}

/** The planner's questions to the database for one organization, with small caches. */
export function planLookups(tx: Tx, actor: Actor, organizationId: number, cipher: FieldCipher): PlanLookups {
  const imported = prepared(
    clientOf(tx),
    `SELECT count(*) AS n FROM import_rows r JOIN import_batches b ON b.id = r.batch_id
     WHERE r.row_hash = ? AND b.organization_id = ? AND b.status IN ('committed', 'confirmed') AND r.disbursement_id IS NOT NULL`,
  );
  const locks = listActiveLocks(tx);
  const byCode = new Map(
    tx
      .select()
      .from(categories)
      .all()
      .map((c) => [c.code, { id: c.id, isActive: c.isActive, requiresNote: c.requiresNote, label: categoryLabel(c, actor.locale) }]),
  );
  // Every case the organization has, by its code and by the refs earlier imports made: two queries, not one per row.
  const client = clientOf(tx);
  type Known = { id: number; householdSize: number; status: string };
  const known = new Map<string, Known>();
  for (const c of prepared(client, 'SELECT code, id, household_size AS householdSize, status FROM cases WHERE organization_id = ?').all(
    organizationId,
  ) as (Known & { code: string })[])
    known.set(c.code, c);
  const viaRefs = prepared(
    client,
    `SELECT r.external_code AS code, c.id, c.household_size AS householdSize, c.status FROM import_case_refs r JOIN cases c ON c.id = r.case_id WHERE r.organization_id = ?`,
  );
  for (const c of viaRefs.all(organizationId) as (Known & { code: string })[]) if (!known.has(c.code)) known.set(c.code, c);
  return {
    caseFor: (ref) => known.get(ref) ?? null,
    lockCovering: (date) => locks.find((l) => l.startsOn <= date && l.endsOn >= date) ?? null,
    importedCount: (hash) => (imported.get(hash, organizationId) as { n: number }).n,
    digest: (text) => cipher.digest(text),
    category: (code) => byCode.get(code) ?? null,
  };
}
