import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account.js';
import { authRoutes } from './auth.js';
import { healthRoutes } from './health.js';
import { homeRoutes } from './home.js';

/** Routes anyone may call: sign-in, health. */
export async function publicRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes);
}

/** Routes that need a session; registered inside the context that requires one. */
export async function protectedRoutes(app: FastifyInstance): Promise<void> {
  await app.register(homeRoutes);
  await app.register(accountRoutes);
}
