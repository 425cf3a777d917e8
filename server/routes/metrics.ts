import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** GET /metrics: Prometheus text, only with METRICS_TOKEN set and then only for its bearer. */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const token = app.config.metricsToken;
  app.get('/metrics', async (request, reply) => {
    // Off: the same answer as any unknown path.
    if (!token) return reply.callNotFound();
    const given = Buffer.from(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').header('cache-control', 'no-store').send('unauthorized\n');
    }
    const registry = app.metrics.registry;
    return reply
      .header('content-type', registry.contentType)
      .header('cache-control', 'no-store')
      .send(await registry.metrics());
  });
}
