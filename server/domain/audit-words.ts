import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases, disbursementLines, disbursements, funds, organizations, receipts, users } from '../../db/schema.js';
import type { Translate } from '../i18n/index.js';
import { can, type Actor } from './actor.js';
import type { AuditEntry } from './audit-trail.js';
import { formatYen } from './format.js';

/** One event as a 監事 reads it: who, what in words, what changed in words, a link where allowed. */
export interface ReadableEvent {
  id: number;
  occurredAt: string;
  action: string;
  /** false: no words for this event name yet; the page shows its code. */
  known: boolean;
  who: string;
  sentence: string;
  href: string | null;
  changes: { label: string; before: string; after: string }[];
}

const AMOUNT_FIELDS = new Set(['amount', 'total', 'budget', 'twoApprovalsAbove', 'amountConfirmed']);
const byIds = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const numericIds = (entries: AuditEntry[], type: string) =>
  entries.filter((e) => e.entityType === type && e.entityId !== null && /^[0-9]+$/.test(e.entityId)).map((e) => Number(e.entityId));

/** What the events point at, in a few queries for the whole page. */
function loadSubjects(tx: Tx, entries: AuditEntry[]) {
  const receiptRows = numericIds(entries, 'receipt').length
    ? tx
        .select({ id: receipts.id, disbursementId: receipts.disbursementId })
        .from(receipts)
        .where(inArray(receipts.id, numericIds(entries, 'receipt')))
        .all()
    : [];
  const disbursementIds = [...numericIds(entries, 'disbursement'), ...receiptRows.map((r) => r.disbursementId)];
  const money = disbursementIds.length
    ? tx
        .select({ id: disbursements.id, caseId: disbursements.caseId, code: cases.code })
        .from(disbursements)
        .innerJoin(cases, eq(cases.id, disbursements.caseId))
        .where(inArray(disbursements.id, disbursementIds))
        .all()
    : [];
  const totals = new Map<number, number>();
  if (disbursementIds.length)
    for (const l of tx
      .select({ d: disbursementLines.disbursementId, amount: disbursementLines.amount })
      .from(disbursementLines)
      .where(inArray(disbursementLines.disbursementId, disbursementIds))
      .all())
      totals.set(l.d, (totals.get(l.d) ?? 0) + l.amount);
  const pick = <T extends { id: number }>(type: string, load: (ids: number[]) => T[]) =>
    byIds(numericIds(entries, type).length ? load(numericIds(entries, type)) : []);
  return {
    receipts: byIds(receiptRows),
    disbursements: byIds(money),
    totals,
    cases: pick('case', (ids) => tx.select({ id: cases.id, code: cases.code }).from(cases).where(inArray(cases.id, ids)).all()),
    users: pick('user', (ids) => tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)).all()),
    funds: pick('fund', (ids) => tx.select({ id: funds.id, name: funds.name }).from(funds).where(inArray(funds.id, ids)).all()),
    organizations: pick('organization', (ids) =>
      tx.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, ids)).all(),
    ),
  };
}

function valueInWords(t: Translate, key: string, value: string | undefined): string {
  if (value === undefined || value === 'null') return '—';
  if (key === 'status') return t(`workflow.status.${value}`);
  if (value === 'true' || value === 'false') return t(value === 'true' ? 'common.yes' : 'common.no');
  if (AMOUNT_FIELDS.has(key) && /^[0-9]+$/.test(value)) return formatYen(Number(value));
  return value;
}

/** Translate a page of raw events; the codes stay in the CSV. */
export function describeEvents(tx: Tx, actor: Actor, entries: AuditEntry[], t: Translate, catalog: Record<string, string>): ReadableEvent[] {
  const s = loadSubjects(tx, entries);
  const roles = byIds(
    tx
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(
        inArray(
          users.id,
          entries.flatMap((e) => (e.actorUserId === null ? [] : [e.actorUserId])),
        ),
      )
      .all(),
  );
  const mayAdmin = can(actor, 'admin.manage');
  return entries.map((e) => {
    const id = e.entityId !== null && /^[0-9]+$/.test(e.entityId) ? Number(e.entityId) : null;
    let subject = t('auditWords.subject.other', { type: e.entityType, id: e.entityId ?? '' });
    let href: string | null = null;
    const disbursement = (dId: number) => {
      const d = s.disbursements.get(dId);
      return d
        ? t('auditWords.subject.disbursement', { id: dId, code: d.code, amount: formatYen(s.totals.get(dId) ?? 0) })
        : t('auditWords.subject.other', { type: e.entityType, id: dId });
    };
    if (id !== null) {
      if (e.entityType === 'disbursement') {
        subject = disbursement(id);
        if (s.disbursements.has(id) && can(actor, 'disbursement.read', { organizationId: -1 })) href = `/disbursements/${id}`;
      } else if (e.entityType === 'receipt' && s.receipts.has(id)) {
        const dId = s.receipts.get(id)!.disbursementId;
        subject = t('auditWords.subject.receipt', { id, of: disbursement(dId) });
        if (can(actor, 'disbursement.read', { organizationId: -1 })) href = `/disbursements/${dId}`;
      } else if (e.entityType === 'case' && s.cases.has(id)) {
        subject = t('auditWords.subject.case', { code: s.cases.get(id)!.code });
        if (can(actor, 'case.read', { organizationId: -1 })) href = `/cases/${id}`;
      } else if (e.entityType === 'user' && s.users.has(id)) {
        subject = t('auditWords.subject.user', { name: s.users.get(id)!.name });
        if (mayAdmin) href = `/admin/users/${id}`;
      } else if (e.entityType === 'fund' && s.funds.has(id)) {
        subject = t('auditWords.subject.fund', { name: s.funds.get(id)!.name });
        if (mayAdmin) href = `/admin/funds/${id}/edit`;
      } else if (e.entityType === 'organization' && s.organizations.has(id)) {
        subject = t('auditWords.subject.organization', { name: s.organizations.get(id)!.name });
        if (mayAdmin) href = `/admin/organizations/${id}`;
      }
    }
    const key = `auditWords.${e.action}`;
    // An event name with no words yet shows its subject and, beside it, the raw code.
    const known = key in catalog;
    const sentence = known ? t(key, { subject }) : subject;
    const role = e.actorUserId === null ? undefined : roles.get(e.actorUserId)?.role;
    const who = e.actorName === null ? t('audit.system') : t('auditWords.who', { name: e.actorName, role: role ? t(`role.${role}`) : '?' });
    const before = new Map(e.before ?? []);
    const after = new Map(e.after ?? []);
    const changes = [...new Set([...before.keys(), ...after.keys()])]
      .filter((k) => before.get(k) !== after.get(k))
      .map((k) => ({
        label: `auditField.${k}` in catalog ? t(`auditField.${k}`) : k,
        before: before.size === 0 ? '' : valueInWords(t, k, before.get(k)),
        after: after.size === 0 ? '' : valueInWords(t, k, after.get(k)),
      }));
    return { id: e.id, occurredAt: e.occurredAt, action: e.action, known, who, sentence, href, changes };
  });
}

/** The action filter in words: the sentence with the kind of record in place of the record. */
export function actionLabel(t: Translate, catalog: Record<string, string>, action: string): string {
  const noun = t(`auditWords.noun.${action.split('.')[0]}`);
  return `auditWords.${action}` in catalog ? t(`auditWords.${action}`, { subject: noun }) : action;
}
