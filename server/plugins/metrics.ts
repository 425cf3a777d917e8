import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { observeWriteTransactions } from '../../db/client.js';
import { countActiveSessions } from '../domain/active-sessions.js';
import type { FiguresObserver } from '../domain/figures-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry; figures: FiguresObserver };
  }
}

/**
 * Prometheus metrics, one registry per app (tests build many). Collected always, cheaply;
 * served only when METRICS_TOKEN is set (server/routes/metrics.ts).
 */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    const registers = [registry];
    const requestSeconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer a request, by route pattern',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const writeSeconds = new Histogram({
      name: 'db_write_transaction_duration_seconds',
      help: 'Time inside one write transaction (BEGIN IMMEDIATE to COMMIT)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    const commits = new Counter({ name: 'db_commits_total', help: 'Committed write transactions; with synchronous=FULL each costs one WAL fsync', registers });
    const queue = new Gauge({ name: 'figures_worker_queue_length', help: 'Report tasks waiting for or running on the figures worker', registers });
    const jobSeconds = new Histogram({
      name: 'figures_worker_job_duration_seconds',
      help: 'Time from handing a report task to the worker to its answer',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const loginFailures = new Counter({ name: 'login_failures_total', help: 'Refused sign-ins, by reason', labelNames: ['reason'], registers });
    new Gauge({
      name: 'sessions_active',
      help: 'Sessions not yet idle or expired',
      registers,
      collect() {
        const { sessionIdleMinutes, sessionMaxHours } = app.config;
        this.set(countActiveSessions(app.db, app.clock.now().getTime(), { idleMs: sessionIdleMinutes * 60_000, absoluteMs: sessionMaxHours * 3_600_000 }));
      },
    });
    if (app.config.replica) {
      new Gauge({
        name: 'replication_lag_seconds',
        help: 'Age of the newest write the off-site replica is known to hold',
        registers,
        collect() {
          if (app.replication) this.set(app.replication.status(Date.now()).lag_s);
        },
      });
    }

    observeWriteTransactions(app.db, (seconds) => {
      writeSeconds.observe(seconds);
      commits.inc();
    });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      requestSeconds.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      if (request.method === 'POST' && route === '/login' && (reply.statusCode === 401 || reply.statusCode === 429)) {
        loginFailures.inc({ reason: reply.statusCode === 401 ? 'wrong_credentials' : 'throttled' });
      }
    });
    app.decorate('metrics', { registry, figures: { queued: (n: number) => queue.set(n), finished: (s: number) => jobSeconds.observe(s) } });
  },
  { name: 'metrics', dependencies: ['core', 'replication'] },
);
