import type { FastifyInstance } from 'fastify';

// Placeholder: filled in by the reports work.
export async function reportRoutes(_app: FastifyInstance): Promise<void> {}
