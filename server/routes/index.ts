import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account.js';
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
import { metricsRoutes } from './metrics.js';
import { receiptRoutes } from './receipts.js';
import { reportRoutes } from './reports.js';
import { reviewRoutes } from './reviews.js';

/** Routes anyone may call: sign-in, health, metrics (bearer token). */
export async function publicRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(authRoutes);
}

/** Routes that need a session; registered inside the context that requires one. */
export async function protectedRoutes(app: FastifyInstance): Promise<void> {
  await app.register(homeRoutes);
  await app.register(accountRoutes);
  await app.register(caseRoutes);
  await app.register(disbursementRoutes);
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
}
