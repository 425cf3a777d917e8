import { and, eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { accountingAccounts, METHODS } from '../../../db/schema.js';
import { assertCan, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { allRows } from '../figures/sql.js';

/** What an accountant would book aid as when nobody has said otherwise (a grant paid out). */
export const DEFAULT_CATEGORY_ACCOUNT = '支払助成金';

/** Where the money left from, by method: cash box, bank, stock of cards and goods. */
export const DEFAULT_METHOD_ACCOUNTS: Record<(typeof METHODS)[number], string> = {
  cash: '現金',
  bank_transfer: '普通預金',
  paid_to_provider: '普通預金',
  prepaid_card: '貯蔵品',
  in_kind: '貯蔵品',
  other: '現金',
};

/** Aid is outside consumption tax (不課税): freee and MoneyForward both call it 対象外. */
export const TAX_CLASS = '対象外';

export type AccountSubject = 'category' | 'method' | 'fund';

/** The accounts the presets use: debit by category, credit (口座) by fund, else by method. */
export interface AccountingMap {
  debit(categoryCode: string): string;
  credit(fundId: number, method: string): string;
}

function storedAccounts(db: Db | Tx): Map<string, string> {
  const rows = allRows<{ subject: string; subjectKey: string; account: string }>(
    db,
    'SELECT subject, subject_key AS subjectKey, account FROM accounting_accounts',
    [],
  );
  return new Map(rows.map((r) => [`${r.subject}:${r.subjectKey}`, r.account]));
}

export function loadAccountingMap(db: Db | Tx): AccountingMap {
  const stored = storedAccounts(db);
  return {
    debit: (code) => stored.get(`category:${code}`) ?? DEFAULT_CATEGORY_ACCOUNT,
    credit: (fundId, method) =>
      stored.get(`fund:${fundId}`) ?? stored.get(`method:${method}`) ?? DEFAULT_METHOD_ACCOUNTS[method as keyof typeof DEFAULT_METHOD_ACCOUNTS] ?? '現金',
  };
}

/** The admin page: every category, method and fund with its stored account ('' = default). */
export function listAccountingSettings(db: Db | Tx) {
  const stored = storedAccounts(db);
  const categories = allRows<{ code: string; labelJa: string; labelEn: string }>(
    db,
    'SELECT code, label_ja AS labelJa, label_en AS labelEn FROM categories ORDER BY sort_order, id',
    [],
  );
  const funds = allRows<{ id: number; name: string }>(db, 'SELECT id, name FROM funds ORDER BY is_default DESC, name, id', []);
  return {
    categories: categories.map((c) => ({ ...c, account: stored.get(`category:${c.code}`) ?? '' })),
    methods: METHODS.map((m) => ({ method: m, account: stored.get(`method:${m}`) ?? '', fallback: DEFAULT_METHOD_ACCOUNTS[m] })),
    funds: funds.map((f) => ({ ...f, account: stored.get(`fund:${f.id}`) ?? '' })),
  };
}

export interface AccountingInput {
  /** subject → key → account ('' = back to the default; absent = unchanged). Unknown keys are ignored. */
  category: Record<string, string>;
  method: Record<string, string>;
  fund: Record<string, string>;
}

/** Save the whole page in one transaction, with one audit event naming what changed. */
export function saveAccountingSettings(db: Db, actor: Actor, input: AccountingInput, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const current = listAccountingSettings(tx);
    const known: Record<AccountSubject, string[]> = {
      category: current.categories.map((c) => c.code),
      method: [...METHODS],
      fund: current.funds.map((f) => String(f.id)),
    };
    const stored = storedAccounts(tx);
    const changed: Record<string, string | null> = {};
    for (const subject of ['category', 'method', 'fund'] as const) {
      for (const key of known[subject]) {
        // A field the form did not send stays as it is; an empty one goes back to the default.
        if (!Object.hasOwn(input[subject], key)) continue;
        const wanted = (input[subject][key] ?? '').trim();
        const before = stored.get(`${subject}:${key}`) ?? '';
        if (wanted === before) continue;
        changed[`${subject}:${key}`] = wanted === '' ? null : wanted;
        if (wanted === '') {
          tx.delete(accountingAccounts)
            .where(and(eq(accountingAccounts.subject, subject), eq(accountingAccounts.subjectKey, key)))
            .run();
        } else {
          tx.insert(accountingAccounts)
            .values({ subject, subjectKey: key, account: wanted, updatedBy: actor.userId, updatedAt: now.toISOString() })
            .onConflictDoUpdate({
              target: [accountingAccounts.subject, accountingAccounts.subjectKey],
              set: { account: wanted, updatedBy: actor.userId, updatedAt: now.toISOString() },
            })
            .run();
        }
      }
    }
    if (Object.keys(changed).length > 0) {
      recordAudit(tx, { action: 'accounting.updated', actorUserId: actor.userId, entityType: 'accounting', entityId: null, after: changed, at: now });
    }
  });
}
