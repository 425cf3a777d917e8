import fp from 'fastify-plugin';
import { createReplicationTracker, parseLitestreamMetrics, type ReplicationTracker } from '../domain/replication.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when no replica is configured. */
    replication: ReplicationTracker | null;
  }
}

export const REPLICATION_POLL_MS = 2000;

/** With REPLICA_URL, read Litestream's metrics on 127.0.0.1 every two seconds to know the lag. */
export const replicationPlugin = fp(
  async (app) => {
    const replica = app.config.replica;
    if (!replica) {
      app.decorate('replication', null);
      return;
    }
    const tracker = createReplicationTracker(Date.now());
    app.decorate('replication', tracker);
    const url = `http://127.0.0.1:${replica.metricsPort}/metrics`;
    const poll = async () => {
      const at = Date.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1500) });
        tracker.observe(at, response.ok ? parseLitestreamMetrics(await response.text()) : null);
      } catch {
        tracker.observe(at, null);
      }
    };
    const timer = setInterval(() => void poll(), REPLICATION_POLL_MS);
    timer.unref();
    app.addHook('onReady', async () => void poll());
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'replication', dependencies: ['core'] },
);
