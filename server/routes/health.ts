import type { FastifyInstance } from 'fastify';
import { probeDatabase } from '../../db/health.js';

/** 200 {"status":"ok"}; 503 {"status":"degraded"} when the database cannot be written, "unavailable" when it does not answer. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    const health = probeDatabase(app.db, app.config.dataDir);
    if (health.status === 'ok') return { status: 'ok' };
    request.log.warn({ reason: health.reason }, `database ${health.status}`);
    return reply.code(503).send({ status: health.status });
  });
}
