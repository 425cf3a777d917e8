import fp from 'fastify-plugin';
import { printableReplicaUrl } from '../config.js';
import { mirrorReceipts } from '../domain/receipt-mirror.js';
import { loadVerifiedReceipts, saveVerifiedReceipts } from '../domain/receipt-mirror-state.js';
import { fileStore, openReceiptStore } from '../domain/receipt-targets/index.js';
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

    // Receipt files follow the database to the replica (file://, s3:// or sftp://), each verified
    // by reading it back and comparing its hash. A round opens the target (an SFTP connection
    // only if there is something to read or copy) and closes it again. Counts only in the log.
    const source = fileStore(receiptsDir(app.config.dataDir));
    const replicaName = printableReplicaUrl(replica.url);
    const verified = loadVerifiedReceipts(app.config.dataDir, replicaName);
    let running = false;
    let lastProblems = '0/0/0';
    let lastFailure = '';
    const mirror = async () => {
      if (running) return;
      running = true;
      const target = openReceiptStore(replica.receipts);
      try {
        const known = verified.size;
        const result = await mirrorReceipts(app.db, source, target, verified);
        if (verified.size !== known) saveVerifiedReceipts(app.config.dataDir, replicaName, verified);
        const problems = `${result.missing.length}/${result.mismatched.length}/${result.damaged.length}`;
        // Said once when the counts change, not every five seconds.
        if (problems !== lastProblems && problems !== '0/0/0')
          app.log.warn({ missing: result.missing.length, mismatched: result.mismatched.length, damaged: result.damaged.length }, 'receipt files not mirrored');
        lastProblems = problems;
        if (lastFailure) app.log.info('receipt mirror reaches the replica again');
        lastFailure = '';
      } catch (error) {
        const reason = (error as Error).message;
        if (reason !== lastFailure) app.log.warn({ reason }, 'receipt mirror failed; will retry every 5 s');
        lastFailure = reason;
      } finally {
        await target.close();
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
