import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedIn } from '../helpers/client.js';
import { openDisbursementDesk, type DisbursementDesk } from '../helpers/disbursement-desk.js';
import { createCaseVia } from './case-test-helpers.js';

let ctx: DisbursementDesk['ctx'];
let world: DisbursementDesk['world'];
let tokyo: DisbursementDesk['tokyo'];
let caseId: number;
let makeRecord: DisbursementDesk['makeRecord'];

beforeEach(async () => {
  ({ ctx, world, tokyo, caseId, makeRecord } = await openDisbursementDesk());
});
afterEach(async () => ctx.close());

const record = (status: 'pending' | 'approved' | 'rejected' | 'voided' | 'withdrawn' = 'pending') =>
  makeRecord({
    caseId,
    status,
    paidOn: '2025-06-15',
    lines: [
      { category: 'shelter', amount: 10_000 },
      { category: 'food', amount: 2_000 },
    ],
  });

describe('受領書 (recipient acknowledgment)', () => {
  it('offers every UI language as the recipient’s, each named in itself', async () => {
    const d = record();
    const res = await tokyo.get(`/disbursements/${d.id}/acknowledgment`);
    const options = [...res.body.matchAll(/<option value="([^"]+)" lang="([^"]+)"[^>]*>([^<]+)<\/option>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(options).toEqual([
      ['ja', 'ja', '日本語'],
      ['ja-x-easy', 'ja', 'やさしい日本語'],
      ['en', 'en', 'English'],
      ['vi', 'vi', 'Tiếng Việt'],
      ['zh-Hans', 'zh-Hans', '简体中文'],
      ['fil', 'fil', 'Filipino'],
      ['pt-BR', 'pt-BR', 'Português (Brasil)'],
      ['ne', 'ne', 'नेपाली'],
    ]);
    // Japanese alone: reviewed, so no under-review note.
    expect(res.body).not.toContain('確認中です');
  });

  it('prints the amount in figures and in 大字, what it was for and the group, in Japanese beside the chosen language', async () => {
    const d = record();
    const res = await tokyo.get(`/disbursements/${d.id}/acknowledgment?recipient=en&paper=a5`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('金壱万弐千円也');
    expect(res.body).toContain('¥12,000');
    expect(res.body).toContain('受領書');
    expect(res.body).toContain('Acknowledgment of receipt');
    expect(res.body).toContain('このお金は返す必要はありません');
    expect(res.body).toContain('does not have to be paid back');
    expect(res.body).toContain('シェルター');
    expect(res.body).toContain('class="ack ack-a5"');
    expect(res.body).toContain(world.tokyo.name);
    // The English wording has not been signed off by a native speaker: the page says so.
    expect(res.body).toContain('This translation is still under review.');
  });

  it('shows Japanese alone when the recipient reads Japanese, on A4 by default', async () => {
    const d = record('approved');
    const res = await tokyo.get(`/disbursements/${d.id}/acknowledgment?recipient=ja`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('class="ack ack-a4"');
    expect(res.body).not.toContain('Acknowledgment of receipt</h2>');
  });

  it('never prints identity: no alias, contact, note or payee', async () => {
    const secret = { alias: 'グエン・ヴァン・テスト', contact: '090-1234-5678', notes: '入管に収容歴あり' };
    caseId = await createCaseVia(tokyo, secret);
    const d = record();
    const res = await tokyo.get(`/disbursements/${d.id}/acknowledgment?recipient=en`);
    expect(res.statusCode).toBe(200);
    for (const value of Object.values(secret)) expect(res.body).not.toContain(value);
  });

  it('refuses a record that was refused, withdrawn or voided (409)', async () => {
    for (const status of ['rejected', 'withdrawn', 'voided'] as const) {
      const res = await tokyo.get(`/disbursements/${record(status).id}/acknowledgment`);
      expect(res.statusCode).toBe(409);
    }
  });

  it('answers a bad language, a bad paper or a repeated parameter with 400', async () => {
    const d = record();
    for (const q of ['recipient=xx', 'paper=letter', 'recipient=en&recipient=ja', 'paper[]=a4']) {
      expect((await tokyo.get(`/disbursements/${d.id}/acknowledgment?${q}`)).statusCode).toBe(400);
    }
  });

  it("is another group's record to nobody else: 404 for a supporter of another group", async () => {
    const d = record();
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    expect((await osaka.get(`/disbursements/${d.id}/acknowledgment`)).statusCode).toBe(404);
  });

  it('is offered on the record page of a pending or approved record only', async () => {
    const pending = record();
    expect((await tokyo.get(`/disbursements/${pending.id}`)).body).toContain(`/disbursements/${pending.id}/acknowledgment`);
    const rejected = record('rejected');
    expect((await tokyo.get(`/disbursements/${rejected.id}`)).body).not.toContain(`/disbursements/${rejected.id}/acknowledgment`);
  });
});
