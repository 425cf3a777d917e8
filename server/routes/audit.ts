import type { FastifyInstance } from 'fastify';

// Placeholder: filled in by the review work.
export async function auditRoutes(_app: FastifyInstance): Promise<void> {}
