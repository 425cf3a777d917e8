import type { FastifyInstance } from 'fastify';

// Placeholder: filled in by the cases work.
export async function adminFundRoutes(_app: FastifyInstance): Promise<void> {}
