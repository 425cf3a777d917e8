import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { replicationHealth } from '../domain/replication.js';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    try {
      app.db.get(sql`select 1`);
      if (!app.replication || !app.config.replica) return { status: 'ok' };
      const { healthy, replication } = replicationHealth(app.replication.status(Date.now()), app.config.replica.maxLagSeconds);
      return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'replica_behind', replication });
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
