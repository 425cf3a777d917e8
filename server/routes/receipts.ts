import type { FastifyInstance } from 'fastify';

// Placeholder: filled in by the disbursements work.
export async function receiptRoutes(_app: FastifyInstance): Promise<void> {}
