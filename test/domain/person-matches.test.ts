import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, identityFingerprints } from '../../db/schema.js';
import { updateCase } from '../../server/domain/cases.js';
import { Forbidden, NotFound } from '../../server/domain/errors.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import {
  confirmedOverlap,
  decideMatch,
  listConfirmedPairs,
  identityFingerprint,
  listPossibleMatches,
  normalizeNameForMatch,
} from '../../server/domain/person-matches.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { actorOf, caseDeps, openCaseWithName, testCipher as cipher } from '../helpers/identity-cases.js';
import { makeDisbursement } from '../helpers/money-factories.js';
import { computeSummary } from '../../server/domain/figures.js';

const fp = (name: string, nationality: string | null = 'VN') => identityFingerprint(cipher, { name, nationality });

describe('name normalization for matching', () => {
  it.each([
    ['Nguyen Van A', 'NGUYEN VAN A', 'nguyen  van a', 'Ｎｇｕｙｅｎ　Ｖａｎ　Ａ', 'Nguyễn Văn A', 'Van A, Nguyen', 'NGUYEN-VAN-A'],
    ['グエン・ヴァン・ア', 'グエン バン ア', 'ｸﾞｴﾝ･ﾊﾞﾝ･ｱ', 'ぐえん ばん あ', 'グエン　ヴァン　ア'],
    ['ヴォー・ティ・トゥ', 'ボー ティ トゥ'],
    ['Maria da Silva', 'MARIA DA SILVA', 'Maria  da  Silva'],
    ['Ｊｏｈｎ　Ｓｍｉｔｈ', 'john smith', 'SMITH John'],
  ])('%s and its variants give one fingerprint', (...variants) => {
    expect(new Set(variants.map((v) => fp(v))).size).toBe(1);
  });

  it('documents the limit: katakana and romaji of the same name do not match', () => {
    expect(fp('Nguyen Van A')).not.toBe(fp('グエン・ヴァン・ア'));
  });

  it('never gives two different people of the fixture set the same fingerprint', () => {
    const people = [
      'Nguyen Van A',
      'Nguyen Van B',
      'Nguyen Thi A',
      'Tran Van A',
      'グエン・ヴァン・ア',
      'グエン・ヴァン・アン',
      'Maria da Silva',
      'Maria de Silva',
      'Jose Santos',
      'Josefa Santos',
      'Ali Khan',
      'Alikhan',
    ];
    const prints = people.map((p) => fp(p));
    expect(new Set(prints).size).toBe(people.length);
    // Same name, other nationality or birth year: another person.
    expect(fp('Nguyen Van A', 'PH')).not.toBe(fp('Nguyen Van A', 'VN'));
    expect(identityFingerprint(cipher, { name: 'Nguyen Van A', birthYear: 1990, nationality: 'VN' })).not.toBe(
      identityFingerprint(cipher, { name: 'Nguyen Van A', birthYear: 1991, nationality: 'VN' }),
    );
  });

  it('keeps the normalized form readable for the README rules, and no name means no fingerprint', () => {
    expect(normalizeNameForMatch('Ｎｇｕｙễｎ・Văn A')).toBe('a nguyen van');
    expect(normalizeNameForMatch('ぐえん・ゔぁん')).toBe('グエン バン');
    expect(fp('  ・ ')).toBeNull();
    // A keyed digest: never the plain value, and another key gives another print.
    expect(fp('Nguyen Van A')).not.toContain('nguyen');
    expect(identityFingerprint(createFieldCipher(Buffer.alloc(32, 9)), { name: 'Nguyen Van A', nationality: 'VN' })).not.toBe(fp('Nguyen Van A'));
  });
});

describe('possible same person across groups', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof makeWorld>>;
  beforeEach(async () => {
    ctx = await buildTestApp();
    world = await makeWorld(ctx.db);
  });
  afterEach(async () => ctx.close());
  const open = (u: MadeUser, alias: string | null, nationality = 'VN') => openCaseWithName(ctx.db, u, alias, { nationality, householdSize: 2 });

  it('shows the coordinator both case codes and groups, never a name; records the decision with an audit event', () => {
    const tokyoCase = open(world.tokyoSupporter, 'Nguyen Van A');
    const osakaCase = open(world.osakaSupporter, 'NGUYEN  VAN A');
    open(world.osakaSupporter, 'Nguyen Van B');
    open(world.tokyoSupporter, 'NGUYEN VAN A'); // same group: not a cross-group match with the first Tokyo case
    const stored = ctx.db.select().from(identityFingerprints).all();
    expect(stored).toHaveLength(4);
    expect(JSON.stringify(stored)).not.toMatch(/nguyen/i);

    const matches = listPossibleMatches(ctx.db, actorOf(world.coordinator));
    expect(matches.filter((m) => m.caseA === tokyoCase && m.caseB === osakaCase)).toEqual([
      expect.objectContaining({ groupA: 'Tokyo group', groupB: 'Osaka group', decision: null }),
    ]);
    expect(JSON.stringify(matches)).not.toMatch(/nguyen/i);
    expect(() => listPossibleMatches(ctx.db, actorOf(world.tokyoSupporter))).toThrow(Forbidden);
    expect(() => listPossibleMatches(ctx.db, actorOf(world.auditor))).toThrow(Forbidden);

    decideMatch(ctx.db, actorOf(world.coordinator), { caseA: osakaCase, caseB: tokyoCase }, 'same', ctx.clock.now());
    expect(listPossibleMatches(ctx.db, actorOf(world.coordinator)).find((m) => m.caseA === tokyoCase && m.caseB === osakaCase)?.decision).toBe('same');
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'person_match.decided')).get()!;
    expect(JSON.parse(event.after!)).toEqual({ caseA: tokyoCase, caseB: osakaCase, decision: 'same' });
    // Two cases that do not share a fingerprint cannot be declared the same person.
    const other = open(world.osakaSupporter, 'Tran Van C');
    expect(() => decideMatch(ctx.db, actorOf(world.coordinator), { caseA: tokyoCase, caseB: other }, 'same', ctx.clock.now())).toThrow(NotFound);
    // 実人数 across groups: the confirmed pair's smaller household counts once.
    expect(
      confirmedOverlap(
        listConfirmedPairs(ctx.db),
        new Map([
          [tokyoCase, 2],
          [osakaCase, 1],
        ]),
      ),
    ).toBe(1);
    expect(confirmedOverlap(listConfirmedPairs(ctx.db), new Map([[tokyoCase, 2]]))).toBe(0);
    // Through the one report function: both groups paid the person; 実人数 across groups counts them once.
    makeDisbursement(ctx.db, { caseId: tokyoCase, submittedBy: world.tokyoSupporter.id, status: 'approved', peopleCovered: 2, paidOn: '2025-06-01' });
    makeDisbursement(ctx.db, { caseId: osakaCase, submittedBy: world.osakaSupporter.id, status: 'approved', peopleCovered: 1, paidOn: '2025-06-02' });
    const summary = computeSummary(ctx.db, actorOf(world.auditor), {
      from: '2025-06-01',
      to: '2025-06-30',
      organizationId: null,
      fundId: null,
      includePending: false,
    });
    expect([summary.peopleUnique, summary.peopleUniqueAcrossGroups]).toEqual([3, 2]);
  });

  it('follows the identity on edit: a changed or removed name changes or removes the fingerprint', () => {
    const id = open(world.tokyoSupporter, 'Nguyen Van A');
    const before = ctx.db.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, id)).get()!.fingerprint;
    const edit = (alias: string | null) =>
      updateCase(
        ctx.db,
        actorOf(world.tokyoSupporter),
        id,
        {
          householdSize: 2,
          gender: null,
          ageBand: null,
          nationality: 'VN',
          residenceStatus: null,
          prefecture: null,
          alias,
          contact: null,
          notes: null,
          status: 'open',
        },
        caseDeps,
      );
    edit('Nguyen Van Anh');
    expect(ctx.db.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, id)).get()!.fingerprint).not.toBe(before);
    edit(null);
    expect(ctx.db.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, id)).get()).toBeUndefined();
  });
});
