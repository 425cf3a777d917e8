import type { FastifyInstance } from 'fastify';

// Placeholder: filled in by the review work.
export async function adminPeriodLockRoutes(_app: FastifyInstance): Promise<void> {}
