import type { FastifyInstance } from 'fastify';
import { probeDatabase } from '../../db/health.js';
import { replicationHealth } from '../domain/replication.js';

/** 200 {"status":"ok"}; 503 "degraded" (cannot write), "unavailable" (no answer) or "replica_behind" (replication lag over REPLICA_MAX_LAG_S). */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (request, reply) => {
    const health = probeDatabase(app.db, app.config.dataDir);
    if (health.status !== 'ok') {
      request.log.warn({ reason: health.reason }, `database ${health.status}`);
      return reply.code(503).send({ status: health.status });
    }
    if (!app.replication || !app.config.replica) return { status: 'ok' };
    const { healthy, replication } = replicationHealth(app.replication.status(Date.now()), app.config.replica.maxLagSeconds);
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'replica_behind', replication });
  });
}
