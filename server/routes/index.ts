import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account.js';
import { acknowledgmentRoutes } from './acknowledgments.js';
import { adminCategoryRoutes } from './admin/categories.js';
import { adminFundRoutes } from './admin/funds.js';
import { adminIndexRoutes } from './admin/index.js';
import { adminOrganizationRoutes } from './admin/organizations.js';
import { adminPeriodLockRoutes } from './admin/period-locks.js';
import { adminUserRoutes } from './admin/users.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { caseRoutes } from './cases.js';
import { disbursementRoutes } from './disbursements.js';
import { healthRoutes } from './health.js';
import { homeRoutes } from './home.js';
import { offlineRoutes } from './offline.js';
import { receiptRoutes } from './receipts.js';
import { reportRoutes } from './reports.js';
import { reviewRoutes } from './reviews.js';
import { accountSessionRoutes } from './account-sessions.js';
import { caseDisclosureRoutes } from './case-disclosure.js';
import { casePurgeRoutes } from './case-purges.js';
import { retentionAdminRoutes } from './retention.js';
import { identityRevealReportRoutes } from './identity-reveals.js';
import { secondFactorAccountRoutes, secondFactorAdminRoutes, secondFactorSignInRoutes } from './second-factor.js';
import { shareLinkAdminRoutes, shareRoutes } from './share-links.js';

/** Routes anyone may call: sign-in, health, the service worker and offline page, share links. */
export async function publicRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(offlineRoutes);
  await app.register(shareRoutes);
  await app.register(secondFactorSignInRoutes);
}

/** Routes that need a session; registered inside the context that requires one. */
export async function protectedRoutes(app: FastifyInstance): Promise<void> {
  await app.register(homeRoutes);
  await app.register(accountRoutes);
  await app.register(caseRoutes);
  await app.register(disbursementRoutes);
  await app.register(acknowledgmentRoutes);
  await app.register(receiptRoutes);
  await app.register(reviewRoutes);
  await app.register(reportRoutes);
  await app.register(auditRoutes);
  await app.register(adminIndexRoutes);
  await app.register(adminOrganizationRoutes);
  await app.register(adminUserRoutes);
  await app.register(adminCategoryRoutes);
  await app.register(adminFundRoutes);
  await app.register(adminPeriodLockRoutes);
  await app.register(shareLinkAdminRoutes);
  await app.register(accountSessionRoutes);
  await app.register(secondFactorAccountRoutes);
  await app.register(secondFactorAdminRoutes);
  await app.register(identityRevealReportRoutes);
  await app.register(casePurgeRoutes);
  await app.register(retentionAdminRoutes);
  await app.register(caseDisclosureRoutes);
}
