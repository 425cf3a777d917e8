import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors.js';
import { getFund, type Fund } from '../../domain/funds.js';
import { addRejectionReason, listRejectionReasonsForAdmin, setRejectionReasonActive } from '../../domain/rejection-reasons.js';
import { reviewRuleFor, setFundReviewRule } from '../../domain/second-approval.js';
import { parseForm, textValue, type FieldErrors } from '../../forms/parse.js';
import { rejectionReasonForm, reviewRuleForm } from '../../forms/review-admin.js';
import { pathId } from '../../forms/params.js';
import { toggleRoutes } from './toggle.js';

/** Admin: the preset rejection reasons, and each fund's review rule (two approvals, receipt deadline). */
export async function adminReviewSettingsRoutes(app: FastifyInstance): Promise<void> {
  const renderReasons = (request: FastifyRequest, reply: FastifyReply, text: string, errors: FieldErrors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/rejection-reasons/index.eta', {
      title: request.t('reasons.title'),
      reasons: listRejectionReasonsForAdmin(app.db),
      text,
      errors,
    });

  app.get('/admin/rejection-reasons', async (request, reply) => renderReasons(request, reply, '', {}));

  app.post('/admin/rejection-reasons', async (request, reply) => {
    const form = parseForm(rejectionReasonForm, request.body);
    if (!form.ok) return renderReasons(request, reply, textValue(form.values, 'text'), form.errors);
    addRejectionReason(app.db, request.actor!, form.data.text, app.clock.now());
    reply.flash('success', 'reasons.flash.added');
    return reply.redirect('/admin/rejection-reasons', 303);
  });

  toggleRoutes(app, {
    base: '/admin/rejection-reasons',
    off: 'retire',
    setActive: (actor, id, on, now) => setRejectionReasonActive(app.db, actor, id, on, now),
    flash: { off: 'reasons.flash.retire', on: 'reasons.flash.reactivate' },
    back: () => '/admin/rejection-reasons',
  });

  const renderRule = (request: FastifyRequest, reply: FastifyReply, fund: Fund, values: Record<string, string>, errors: FieldErrors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('admin/funds/review-rule.eta', {
      title: request.t('reviewRules.title', { name: fund.name }),
      fund,
      values,
      errors,
    });

  app.get('/admin/funds/:id/review-rule', async (request, reply) => {
    const fund = getFund(app.db, pathId(request));
    const rule = reviewRuleFor(app.db, fund.id);
    return renderRule(
      request,
      reply,
      fund,
      { twoApprovalsAbove: rule.twoApprovalsAbove === null ? '' : rule.twoApprovalsAbove.toLocaleString('en-US'), receiptDueDays: String(rule.receiptDueDays) },
      {},
    );
  });

  app.post('/admin/funds/:id/review-rule', async (request, reply) => {
    const fund = getFund(app.db, pathId(request));
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const typed = { twoApprovalsAbove: textValue(raw, 'twoApprovalsAbove'), receiptDueDays: textValue(raw, 'receiptDueDays') };
    const form = parseForm(reviewRuleForm, raw);
    if (!form.ok) return renderRule(request, reply, fund, typed, form.errors);
    try {
      setFundReviewRule(app.db, request.actor!, fund.id, form.data, app.clock.now());
    } catch (error) {
      if (error instanceof InvalidInput) return renderRule(request, reply, fund, typed, error.fieldErrors);
      throw error;
    }
    reply.flash('success', 'reviewRules.flash.saved');
    return reply.redirect('/admin/funds', 303);
  });
}
