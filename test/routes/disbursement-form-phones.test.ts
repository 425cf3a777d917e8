import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements, funds } from '../../db/schema.js';
import { translator } from '../../server/i18n/index.js';
import { openDisbursementDesk, type DisbursementDesk } from '../helpers/disbursement-desk.js';
import { defaultFundId } from '../helpers/money-factories.js';
import { postMultipart } from '../helpers/multipart.js';

// Issue 16 §2: the form a supporter fills on a phone.
const ja = translator('ja');
let ctx: DisbursementDesk['ctx'];
let client: DisbursementDesk['tokyo'];
let caseId: number;
let newRecordFields: DisbursementDesk['newRecordFields'];

beforeEach(async () => {
  ({ ctx, tokyo: client, caseId, newRecordFields } = await openDisbursementDesk());
});
afterEach(async () => ctx.close());

const fields = (overrides: Record<string, string> = {}) => newRecordFields({ 'lines[0][category]': 'food', 'lines[0][amount]': '3000', ...overrides });
const summaryOf = (html: string) => html.slice(html.indexOf('class="error-summary"'), html.indexOf('<form method="post" action="/disbursements"'));
const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

describe('the disbursement form on a phone', () => {
  it('opens with one line row and the submit button in its sticky bar', async () => {
    const page = await client.get(`/disbursements/new?case=${caseId}`);
    const [withScript, noscript] = page.body.split('<noscript>');
    expect(withScript!.match(/data-line-row>/g)).toHaveLength(1);
    // Without the script there is no 「行を追加」: two spare rows come inside <noscript>.
    expect(noscript!.slice(0, noscript!.indexOf('</noscript>')).match(/name="lines\[(\d)\]\[amount\]"/g)).toEqual([
      'name="lines[1][amount]"',
      'name="lines[2][amount]"',
    ]);
    expect(page.body).toMatch(/<div class="form-submit"><button type="submit"/);
  });

  it('says 「選んでください」 for an empty 支給方法 or 財源, next to the field and in the summary', async () => {
    const response = await client.post('/disbursements', fields({ method: '', fundId: '' }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`<p class="error" id="f-method-error">${ja('phones.chooseRequired')}</p>`);
    expect(response.body).toContain(`<p class="error" id="f-fundId-error">${ja('phones.chooseRequired')}</p>`);
    const summary = summaryOf(response.body);
    expect(summary).toContain(`href="#f-method"`);
    expect(summary).toContain(`href="#f-fundId"`);
    expect(summary).not.toContain(ja('validation.required'));
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(0);
  });

  it('puts a refused file in the summary at the top, linking to the file field', async () => {
    const response = await postMultipart(ctx.app, client, '/disbursements', fields(), [
      { name: 'receipt', filename: 'a.jpg', data: Buffer.from('not a photo at all') },
    ]);
    expect(response.statusCode).toBe(422);
    const summary = summaryOf(response.body);
    expect(summary).toContain(`href="#f-receipt"`);
    expect(summary).toContain(escape(ja('receipts.badType')));
    expect(response.body).toContain('id="f-receipt"');
    // The summary comes before the first field.
    expect(response.body.indexOf('class="error-summary"')).toBeLessThan(response.body.indexOf('id="f-paidOn"'));
  });

  it('shows 財源 as a visible choice with the default named when there are several active funds', async () => {
    const other = ctx.db.insert(funds).values({ name: '緊急基金B' }).returning().get();
    const defaultId = defaultFundId(ctx.db);
    const defaultName = ctx.db
      .select()
      .from(funds)
      .all()
      .find((f) => f.id === defaultId)!.name;
    const page = await client.get(`/disbursements/new?case=${caseId}`);
    expect(page.body).toContain(
      `<input type="radio" name="fundId" value="${defaultId}" id="f-fundId" checked> ${escape(ja('phones.fundDefault', { name: defaultName }))}</label>`,
    );
    expect(page.body).toContain(`<input type="radio" name="fundId" value="${other.id}"> 緊急基金B</label>`);
    expect(page.body).toContain(escape(ja('phones.fundHint', { name: defaultName })));
    const chosen = await client.post('/disbursements', fields({ fundId: String(other.id) }));
    expect(chosen.statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .map((d) => d.fundId),
    ).toEqual([other.id]);
  });

  it('names the only active fund instead of offering a choice', async () => {
    const page = await client.get(`/disbursements/new?case=${caseId}`);
    expect(page.body).not.toContain('type="radio" name="fundId"');
    expect(page.body).toContain(`<input type="hidden" name="fundId" value="${defaultFundId(ctx.db)}">`);
  });
});
