import fp from 'fastify-plugin';
import { mirrorReceipts, replicaReceiptsDir } from '../domain/receipt-mirror.js';
import { receiptsDir } from '../domain/receipts.js';
import { createReplicationTracker, parseLitestreamMetrics, type ReplicationTracker } from '../domain/replication.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when no replica is configured. */
    replication: ReplicationTracker | null;
  }
}

export const REPLICATION_POLL_MS = 2000;
export const RECEIPT_MIRROR_MS = 5000;

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

    // Receipt files follow the database to file:// replicas, each verified by its hash.
    const receiptsTarget = replicaReceiptsDir(replica.url);
    if (!receiptsTarget) {
      app.addHook('onReady', async () =>
        app.log.warn('receipt files are copied only to file:// replicas for now; npm run backup copies them for other targets'),
      );
      return;
    }
    const verified = new Set<string>();
    let running = false;
    const mirror = async () => {
      if (running) return;
      running = true;
      try {
        const result = await mirrorReceipts(app.db, receiptsDir(app.config.dataDir), receiptsTarget, verified);
        if (result.missing.length + result.mismatched.length > 0)
          app.log.warn({ missing: result.missing.length, mismatched: result.mismatched.length }, 'receipt files not mirrored');
      } catch (error) {
        app.log.warn({ err: error }, 'receipt mirror failed; will retry');
      } finally {
        running = false;
      }
    };
    const mirrorTimer = setInterval(() => void mirror(), RECEIPT_MIRROR_MS);
    mirrorTimer.unref();
    app.addHook('onReady', async () => void mirror());
    app.addHook('onClose', async () => clearInterval(mirrorTimer));
  },
  { name: 'replication', dependencies: ['core'] },
);
