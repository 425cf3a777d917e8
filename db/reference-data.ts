import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { categories, funds } from './schema.js';

/** SPEC §2's seven categories. Inserted once; admins' later relabels are never overwritten. */
export const SEEDED_CATEGORIES = [
  { code: 'shelter', labelJa: 'シェルター・住居費', labelEn: 'Shelter & housing', sortOrder: 10, requiresNote: false },
  { code: 'food', labelJa: '食料・消耗品費', labelEn: 'Food & consumables', sortOrder: 20, requiresNote: false },
  { code: 'medical', labelJa: '医療費', labelEn: 'Medical', sortOrder: 30, requiresNote: false },
  { code: 'utilities', labelJa: '水道光熱・通信費', labelEn: 'Utilities & communications', sortOrder: 40, requiresNote: false },
  { code: 'repatriation', labelJa: '帰国補助費', labelEn: 'Repatriation support', sortOrder: 50, requiresNote: false },
  { code: 'tuition', labelJa: '学費', labelEn: 'Tuition & school costs', sortOrder: 60, requiresNote: false },
  { code: 'other', labelJa: 'その他', labelEn: 'Other', sortOrder: 70, requiresNote: true },
] as const;

export const DEFAULT_FUND_NAME = '一般寄付金 (General donations)';

export function seedReferenceData(db: Db): void {
  db.transaction((tx) => {
    tx.insert(categories)
      .values([...SEEDED_CATEGORIES])
      .onConflictDoNothing({ target: categories.code })
      .run();
    const hasDefault = tx
      .select({ n: sql<number>`count(*)` })
      .from(funds)
      .where(sql`${funds.isDefault} = 1`)
      .get();
    if (!hasDefault || hasDefault.n === 0) {
      tx.insert(funds).values({ name: DEFAULT_FUND_NAME, isDefault: true }).onConflictDoNothing().run();
    }
  });
}
