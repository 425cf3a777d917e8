import fp from 'fastify-plugin';
import type { Db } from '../../db/client.js';
import type { Config } from '../config.js';
import { bindAuditKey } from '../domain/audit-key.js';
import type { Clock } from '../domain/clock.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    clock: Clock;
  }
}

/** The app's dependencies, decorated once so every route reaches the same database, config and clock. */
export const corePlugin = fp<{ config: Config; db: Db; clock: Clock }>(
  async (app, { config, db, clock }) => {
    app.decorate('config', config);
    // The app's connection appends to the audit chain with the chain key DATA_KEY unlocks (audit-key.ts).
    app.decorate('db', bindAuditKey(db, config.dataKey, config.previousDataKeys));
    app.decorate('clock', clock);
  },
  { name: 'core' },
);
