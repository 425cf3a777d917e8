import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { shareLinks, users } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { countCellCasesWhere } from './figures/cell-cases.js';
import { periodProblem } from './periods.js';

/** Share links (feature row 33): the public summary of a fixed period, for people with no account. */

export type ShareLink = typeof shareLinks.$inferSelect;
export type ShareLinkState = 'active' | 'expired' | 'revoked';

/** 160 random bits in base32 (32 characters): the only copy is in the link handed out. */
export function generateShareToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

export function hashShareToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

const TOKEN_FORMAT = /^[a-z2-7]{32}$/;

/** The instant a link stops working: the end of its last day in Japan (UTC+9, no summer time). */
export function endOfTokyoDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1) - 9 * 3_600_000);
}

/** One year from `today`, the latest expiry a link may have (29 Feb rolls to 1 Mar). */
export function latestExpiry(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 1, m - 1, d)).toISOString().slice(0, 10);
}

export function shareLinkState(link: Pick<ShareLink, 'revokedAt' | 'expiresAt'>, now: Date): ShareLinkState {
  if (link.revokedAt !== null) return 'revoked';
  return new Date(link.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

export interface ShareLinkInput {
  from: string;
  to: string;
  expiresOn: string;
}

/**
 * Two published periods, one inside the other, give away their difference by subtraction: the
 * totals, and every row shown in both. Each public summary is safe on its own; this refuses a new
 * link when the days one link covers and the other does not hold a few cases (fewer than the
 * threshold, but not none), in all or in any row of a breakdown. Stricter than needed where a
 * row was hidden in one of the two, which keeps the rule simple to state.
 */
export function revealsDifference(tx: Tx, period: { from: string; to: string }, threshold: number): boolean {
  const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const few = (n: number) => n > 0 && n < threshold;
  for (const other of tx.select({ from: shareLinks.periodFrom, to: shareLinks.periodTo }).from(shareLinks).all()) {
    const [outer, inner] = other.from <= period.from && other.to >= period.to ? [other, period] : [period, other];
    if (!(outer.from <= inner.from && outer.to >= inner.to)) continue;
    // The days before and after the inner period; an empty range (from > to) matches nothing.
    const where = `status = 'approved' AND (paid_on BETWEEN ? AND ? OR paid_on BETWEEN ? AND ?)`;
    const cells = countCellCasesWhere(tx, where, [outer.from, shift(inner.from, -1), shift(inner.to, 1), outer.to]);
    const rows = [cells.byCategory, cells.byMonth, cells.byOrganization, cells.byFund].flatMap((r) => Object.values(r));
    if (few(cells.all) || rows.some(few)) return true;
  }
  return false;
}

/** Creates a link and returns its token once; only the hash is stored, and the audit event names neither. */
export function createShareLink(db: Db, actor: Actor, input: ShareLinkInput, today: string, now: Date, threshold: number): { link: ShareLink; token: string } {
  assertCan(actor, 'shareLinks.manage');
  const problem = periodProblem(input.from, input.to);
  if (problem) throw new InvalidInput(problem === 'periods.fromAfterTo' ? { to: problem } : { from: problem });
  if (input.expiresOn < today) throw new InvalidInput({ expiresOn: 'shareLinks.expiryPast' });
  if (input.expiresOn > latestExpiry(today)) throw new InvalidInput({ expiresOn: 'shareLinks.expiryTooLate' });
  const token = generateShareToken();
  const link = writeTransaction(db, (tx) => {
    if (revealsDifference(tx, input, threshold)) throw new InvalidInput({ from: 'shareLinks.revealsDifference' });
    const row = tx
      .insert(shareLinks)
      .values({
        tokenHash: hashShareToken(token),
        periodFrom: input.from,
        periodTo: input.to,
        expiresAt: endOfTokyoDay(input.expiresOn).toISOString(),
        createdBy: actor.userId,
        createdAt: now.toISOString(),
      })
      .returning()
      .get();
    recordAudit(tx, {
      action: 'share_link.created',
      actorUserId: actor.userId,
      entityType: 'share_link',
      entityId: row.id,
      after: { periodFrom: row.periodFrom, periodTo: row.periodTo, expiresAt: row.expiresAt },
      at: now,
    });
    return row;
  });
  return { link, token };
}

export function revokeShareLink(db: Db, actor: Actor, id: number, now: Date): void {
  assertCan(actor, 'shareLinks.manage');
  writeTransaction(db, (tx) => {
    const link = tx.select().from(shareLinks).where(eq(shareLinks.id, id)).get();
    if (!link) throw new NotFound();
    if (link.revokedAt !== null) throw new Conflict('shareLinks.alreadyRevoked');
    tx.update(shareLinks).set({ revokedAt: now.toISOString(), revokedBy: actor.userId }).where(eq(shareLinks.id, id)).run();
    recordAudit(tx, {
      action: 'share_link.revoked',
      actorUserId: actor.userId,
      entityType: 'share_link',
      entityId: id,
      before: { expiresAt: link.expiresAt, openCount: link.openCount },
      after: { revokedAt: now.toISOString() },
      at: now,
    });
  });
}

export function listShareLinks(tx: Tx | Db, actor: Actor, now: Date) {
  assertCan(actor, 'shareLinks.manage');
  return tx
    .select({ link: shareLinks, createdByName: users.displayName })
    .from(shareLinks)
    .innerJoin(users, eq(users.id, shareLinks.createdBy))
    .orderBy(desc(shareLinks.createdAt), desc(shareLinks.id))
    .all()
    .map(({ link, createdByName }) => ({ ...link, createdByName, state: shareLinkState(link, now) }));
}

export type ShareOpening = { status: 'open'; period: { from: string; to: string } } | { status: 'gone' } | { status: 'unknown' };

/**
 * Opening a link: unknown → 404, expired or revoked → 410, otherwise the period, and the opening
 * counted. Only a counter: who opened it (address, time) is not kept.
 */
export function openShareLink(db: Db, token: string, now: Date): ShareOpening {
  if (!TOKEN_FORMAT.test(token)) return { status: 'unknown' };
  return writeTransaction(db, (tx) => {
    const link = tx
      .select()
      .from(shareLinks)
      .where(eq(shareLinks.tokenHash, hashShareToken(token)))
      .get();
    if (!link) return { status: 'unknown' } as const;
    if (shareLinkState(link, now) !== 'active') return { status: 'gone' } as const;
    tx.update(shareLinks)
      .set({ openCount: sql`${shareLinks.openCount} + 1` })
      .where(eq(shareLinks.id, link.id))
      .run();
    return { status: 'open', period: { from: link.periodFrom, to: link.periodTo } } as const;
  });
}
