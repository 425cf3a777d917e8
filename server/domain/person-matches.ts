import { and, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { cases, identityFingerprints, organizations, personMatchDecisions, type MatchDecision } from '../../db/schema.js';
import { type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Forbidden, InvalidInput, NotFound } from './errors.js';
import type { FieldCipher } from './field-crypto.js';

const SMALL_VOWELS: Record<string, string> = { ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ' };
const VU: Record<string, string> = { ヴァ: 'バ', ヴィ: 'ビ', ヴェ: 'ベ', ヴォ: 'ボ', ヴ: 'ブ' };

/**
 * A name as the fingerprint sees it (README: "One person, one grant"): width folded (NFKC), lower
 * case, Latin diacritics dropped, hiragana as katakana, ヴ-row as バ-row, small vowels as large,
 * punctuation and spaces as separators, and the parts in sorted order. Katakana and romaji of the
 * same name stay different: no reliable transliteration exists between them.
 */
export function normalizeNameForMatch(name: string): string {
  let text = name.normalize('NFKC').toLowerCase();
  text = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
  text = text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
  text = text.replace(/ヴ[ァィェォ]?/g, (m) => VU[m] ?? 'ブ').replace(/[ァィゥェォ]/g, (c) => SMALL_VOWELS[c]!);
  return text
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

export interface IdentityParts {
  name: string | null;
  birthYear?: number | null;
  nationality: string | null;
}

/** The keyed fingerprint (HMAC under a key derived from DATA_KEY), or null when there is no name to match on. */
export function identityFingerprint(cipher: FieldCipher, parts: IdentityParts): string | null {
  const name = parts.name === null ? '' : normalizeNameForMatch(parts.name);
  if (name === '') return null;
  return cipher.digest(`identity-fingerprint/v1|${name}|${parts.birthYear ?? ''}|${(parts.nationality ?? '').toUpperCase()}`);
}

/** Keep a case's fingerprint in step with its identity fields (same transaction as the case write). */
export function recordFingerprint(tx: Tx, cipher: FieldCipher, theCase: { id: number; organizationId: number }, parts: IdentityParts, now: Date): void {
  const fingerprint = identityFingerprint(cipher, parts);
  tx.delete(identityFingerprints).where(eq(identityFingerprints.caseId, theCase.id)).run();
  if (fingerprint)
    tx.insert(identityFingerprints).values({ caseId: theCase.id, organizationId: theCase.organizationId, fingerprint, updatedAt: now.toISOString() }).run();
}

const assertCoordinator = (actor: Actor) => {
  // Only the network office sees matches: a group never learns another group holds the same person.
  if (actor.role !== 'coordinator') throw new Forbidden();
};

/** Pairs of cases of different groups with the same fingerprint: codes and group names only, never identity. */
export function listPossibleMatches(tx: Tx, actor: Actor) {
  assertCoordinator(actor);
  return tx.all<{ caseA: number; codeA: string; groupA: string; caseB: number; codeB: string; groupB: string; decision: MatchDecision | null }>(sql`
    SELECT a.case_id AS caseA, ca.code AS codeA, oa.name AS groupA, b.case_id AS caseB, cb.code AS codeB, ob.name AS groupB, d.decision AS decision
    FROM ${identityFingerprints} a
    JOIN ${identityFingerprints} b ON b.fingerprint = a.fingerprint AND b.case_id > a.case_id AND b.organization_id <> a.organization_id
    JOIN ${cases} ca ON ca.id = a.case_id JOIN ${cases} cb ON cb.id = b.case_id
    JOIN ${organizations} oa ON oa.id = a.organization_id JOIN ${organizations} ob ON ob.id = b.organization_id
    LEFT JOIN ${personMatchDecisions} d ON d.case_a = a.case_id AND d.case_b = b.case_id
    ORDER BY d.decision IS NOT NULL, a.case_id, b.case_id`);
}

/** Record (or change) the decision on a pair that really is a possible match; audited with both codes. */
export function decideMatch(db: Db, actor: Actor, pair: { caseA: number; caseB: number }, decision: MatchDecision, now: Date): void {
  assertCoordinator(actor);
  const [a, b] = pair.caseA < pair.caseB ? [pair.caseA, pair.caseB] : [pair.caseB, pair.caseA];
  if (a === b) throw new InvalidInput({ decision: 'validation.invalid' });
  writeTransaction(db, (tx) => {
    const fa = tx.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, a)).get();
    const fb = tx.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, b)).get();
    if (!fa || !fb || fa.fingerprint !== fb.fingerprint || fa.organizationId === fb.organizationId) throw new NotFound();
    const where = and(eq(personMatchDecisions.caseA, a), eq(personMatchDecisions.caseB, b));
    const before = tx.select().from(personMatchDecisions).where(where).get();
    if (before?.decision === decision) return;
    if (before) tx.update(personMatchDecisions).set({ decision, decidedBy: actor.userId, decidedAt: now.toISOString() }).where(where).run();
    else tx.insert(personMatchDecisions).values({ caseA: a, caseB: b, decision, decidedBy: actor.userId, decidedAt: now.toISOString() }).run();
    recordAudit(tx, {
      action: 'person_match.decided',
      actorUserId: actor.userId,
      entityType: 'case',
      entityId: a,
      at: now,
      before: before ? { decision: before.decision } : null,
      after: { caseA: a, caseB: b, decision },
    });
  });
}

/**
 * 実人数 across groups: people counted once per confirmed person. For each "same" pair whose two
 * cases both have people in `peakByCase`, the smaller peak is taken off (a pair is one household).
 * Pure, so the figures worker can use it over its own rows.
 */
export function confirmedOverlap(pairs: { a: number; b: number }[], peakByCase: Map<number, number>): number {
  const counted = new Set<number>();
  let overlap = 0;
  for (const { a, b } of pairs) {
    const pa = peakByCase.get(a);
    const pb = peakByCase.get(b);
    if (pa === undefined || pb === undefined || counted.has(a) || counted.has(b)) continue;
    overlap += Math.min(pa, pb);
    counted.add(pa <= pb ? a : b);
  }
  return overlap;
}

/** The confirmed pairs, for confirmedOverlap. */
export function listConfirmedPairs(tx: Tx): { a: number; b: number }[] {
  return tx
    .select({ a: personMatchDecisions.caseA, b: personMatchDecisions.caseB })
    .from(personMatchDecisions)
    .where(eq(personMatchDecisions.decision, 'same'))
    .all();
}

/** For the coordinator's view of some cases (a round application): other groups' cases with the same fingerprint, by code. */
export function matchesForCases(tx: Tx, actor: Actor, caseIds: number[]): Map<number, { code: string; group: string; decision: MatchDecision | null }[]> {
  const found = new Map<number, { code: string; group: string; decision: MatchDecision | null }[]>();
  if (actor.role !== 'coordinator' || caseIds.length === 0) return found;
  const wanted = new Set(caseIds);
  for (const m of listPossibleMatches(tx, actor)) {
    for (const [mine, other] of [
      [{ id: m.caseA }, { id: m.caseB, code: m.codeB, group: m.groupB }],
      [{ id: m.caseB }, { id: m.caseA, code: m.codeA, group: m.groupA }],
    ] as const) {
      if (!wanted.has(mine.id)) continue;
      found.set(mine.id, [...(found.get(mine.id) ?? []), { code: other.code, group: other.group, decision: m.decision }]);
    }
  }
  return found;
}
