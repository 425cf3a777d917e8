import type { FastifyInstance } from 'fastify';

// Placeholder: filled in by the admin (organizations/users) work.
export async function adminUserRoutes(_app: FastifyInstance): Promise<void> {}
