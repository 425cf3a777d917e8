import type { FastifyInstance } from 'fastify';
import { bellKindsShownBy, bellSeenOf, markBellSeen } from '../domain/bell-seen.js';
import { bellFor } from '../domain/notifications.js';
import { accountMailRoutes } from './account-mail.js';
import { requireAdmin } from '../plugins/session.js';
import { accountSessionRoutes } from './account-sessions.js';
import { accountRoutes } from './account.js';
import { acknowledgmentRoutes } from './acknowledgments.js';
import { adminAccountingRoutes } from './admin/accounting.js';
import { adminCategoryRoutes } from './admin/categories.js';
import { adminFundMoneyRoutes } from './admin/fund-money.js';
import { adminMoneyInImportRoutes } from './admin/money-in-import.js';
import { adminFundRoutes } from './admin/funds.js';
import { adminIndexRoutes } from './admin/index.js';
import { adminOrganizationRoutes } from './admin/organizations.js';
import { adminPeriodLockRoutes } from './admin/period-locks.js';
import { adminReviewSettingsRoutes } from './admin/review-settings.js';
import { adminSecurityRoutes } from './admin/security.js';
import { adminUserRoutes } from './admin/users.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { caseDisclosureRoutes } from './case-disclosure.js';
import { caseListRoutes } from './case-list.js';
import { casePurgeRoutes } from './case-purges.js';
import { caseRoutes } from './cases.js';
import { decisionRoutes } from './decisions.js';
import { disbursementListRoutes } from './disbursement-list.js';
import { disbursementRoutes } from './disbursements.js';
import { healthRoutes } from './health.js';
import { homeRoutes } from './home.js';
import { identityRevealReportRoutes } from './identity-reveals.js';
import { importRoutes } from './imports.js';
import { metricsRoutes } from './metrics.js';
import { missingReceiptRoutes } from './missing-receipts.js';
import { languageRoutes } from './language.js';
import { offlineRoutes } from './offline.js';
import { passkeyAccountRoutes } from './passkeys.js';
import { personMatchRoutes } from './person-matches.js';
import { receiptRoutes } from './receipts.js';
import { reportRoutes } from './reports.js';
import { retentionAdminRoutes } from './retention.js';
import { reviewBulkRejectRoutes } from './review-bulk-reject.js';
import { reviewRoutes } from './reviews.js';
import { roundRoutes } from './rounds.js';
import { secondFactorAccountRoutes, secondFactorAdminRoutes, secondFactorSignInRoutes } from './second-factor.js';
import { shareLinkAdminRoutes, shareRoutes } from './share-links.js';

/** Routes anyone may call: sign-in, health, the service worker and offline page, share links. */
export async function publicRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(authRoutes);
  await app.register(languageRoutes);
  await app.register(offlineRoutes);
  await app.register(shareRoutes);
  await app.register(secondFactorSignInRoutes);
}

/** Routes that need a session; registered inside the context that requires one. */
export async function protectedRoutes(app: FastifyInstance): Promise<void> {
  // The header's bell on every signed-in page (runs after the views plugin set reply.locals).
  // Opening the page a bell kind links to marks that kind read (GET only: a read, not a form).
  app.addHook('preHandler', async (request, reply) => {
    if (!request.actor || !reply.locals) return;
    const now = app.clock.now();
    if (request.method === 'GET') markBellSeen(app.db, request.actor, bellKindsShownBy(request.actor, request.routeOptions.url, request.query), now);
    reply.locals.bell = bellFor(app.db, request.actor, now, bellSeenOf(app.db, request.actor.userId));
  });
  await app.register(homeRoutes);
  await app.register(accountRoutes);
  await app.register(accountMailRoutes);
  await app.register(caseListRoutes);
  await app.register(caseRoutes);
  await app.register(disbursementListRoutes);
  await app.register(disbursementRoutes);
  await app.register(acknowledgmentRoutes);
  await app.register(missingReceiptRoutes);
  await app.register(receiptRoutes);
  await app.register(reviewRoutes);
  await app.register(reviewBulkRejectRoutes);
  await app.register(decisionRoutes);
  await app.register(reportRoutes);
  await app.register(roundRoutes);
  await app.register(personMatchRoutes);
  await app.register(auditRoutes);
  await app.register(importRoutes);
  await app.register(shareLinkAdminRoutes);
  await app.register(accountSessionRoutes);
  await app.register(secondFactorAccountRoutes);
  await app.register(passkeyAccountRoutes);
  await app.register(identityRevealReportRoutes);
  await app.register(casePurgeRoutes);
  await app.register(caseDisclosureRoutes);
  // The admin context, nested like the signed-in one: every route in it needs the admin flag.
  await app.register(async (admin) => {
    admin.addHook('preHandler', requireAdmin);
    await admin.register(adminRoutes);
  });
}

/** /admin pages (SPEC §5: admin flag only), except the reveals report that auditors read too. */
async function adminRoutes(app: FastifyInstance): Promise<void> {
  await app.register(adminIndexRoutes);
  await app.register(adminOrganizationRoutes);
  await app.register(adminUserRoutes);
  await app.register(adminCategoryRoutes);
  await app.register(adminFundRoutes);
  await app.register(adminFundMoneyRoutes);
  await app.register(adminMoneyInImportRoutes);
  await app.register(adminPeriodLockRoutes);
  await app.register(adminAccountingRoutes);
  await app.register(adminReviewSettingsRoutes);
  await app.register(adminSecurityRoutes);
  await app.register(secondFactorAdminRoutes);
  await app.register(retentionAdminRoutes);
}
