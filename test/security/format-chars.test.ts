import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, disbursements, organizations } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { hiddenCharsProblem } from '../../server/forms/fields.js';
import { translator } from '../../server/i18n/index.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { formKey } from '../routes/case-test-helpers.js';

const ja = translator('ja');
const MESSAGE = ja('validation.formatChars');
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const OTHER_FORMAT = ['\u200b', '\u200e', '\u200f', '\ufeff', '\u00ad', '\u061c', '\u2060'];
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('hiddenCharsProblem', () => {
  it.each([...BIDI, ...OTHER_FORMAT].map((c) => [hex(c), c]))('refuses %s inside a word', (_name, c) => {
    expect(hiddenCharsProblem(`ab${c}cd`)).toBe('validation.formatChars');
  });
  it('keeps control characters on their own message, and lets ZWNJ/ZWJ and plain text through', () => {
    expect(hiddenCharsProblem('a\u0007b')).toBe('validation.invalid');
    expect(hiddenCharsProblem('می\u200cخواهم')).toBeNull();
    expect(hiddenCharsProblem('👨\u200d👩\u200d👧')).toBeNull();
    expect(hiddenCharsProblem('グエン・ティ・マイ\n二行目\tタブ')).toBeNull();
  });
});

describe('forms refuse format characters with 422 and the message beside the field', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof makeWorld>>;
  let tokyo: TestClient;
  let coordinator: TestClient;
  let admin: TestClient;
  let caseId: number;
  beforeAll(async () => {
    ctx = await buildTestApp();
    world = await makeWorld(ctx.db);
    // Made before any case comes through the form, so the form's numbering follows it.
    caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id }).id;
    tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    coordinator = await signedIn(ctx.app, world.coordinator);
    admin = await signedIn(ctx.app, world.admin);
  });
  afterAll(async () => ctx.close());

  it('an alias whose order is reversed by U+202E', async () => {
    const before = ctx.db.select().from(cases).all().length;
    const response = await tokyo.post('/cases', { householdSize: '1', alias: 'Mai \u202eneyugN', idempotencyKey: await formKey(tokyo) });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(MESSAGE);
    expect(ctx.db.select().from(cases).all()).toHaveLength(before);
    const zwnj = await tokyo.post('/cases', { householdSize: '1', alias: 'می\u200cخواهم', idempotencyKey: await formKey(tokyo) });
    expect(zwnj.statusCode).toBe(303);
  });

  it('a payee with an isolate (U+2066) and a zero-width space', async () => {
    for (const payee of ['Landlord \u2066Co\u2069', 'Land\u200blord']) {
      const response = await tokyo.post('/disbursements', {
        caseId: String(caseId),
        idempotencyKey: newFormKey(),
        paidOn: '2025-06-10',
        fundId: String(defaultFundId(ctx.db)),
        method: 'cash',
        peopleCovered: '1',
        payee,
        lines: [{ category: 'food', amount: '1000' }],
      });
      expect(response.statusCode, payee).toBe(422);
      expect(response.body).toContain(MESSAGE);
    }
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(0);
  });

  it('a rejection reason with a byte-order mark inside', async () => {
    const d = makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id });
    const response = await coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '領収書\ufeffがありません' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(MESSAGE);
  });

  it('an organization name with a right-to-left mark', async () => {
    const response = await admin.post('/admin/organizations', { code: 'RTL', name: 'Group \u200fname', prefecture: '' });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(MESSAGE);
    expect(
      ctx.db
        .select()
        .from(organizations)
        .all()
        .map((o) => o.code),
    ).not.toContain('RTL');
  });
});
