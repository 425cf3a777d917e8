import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Db } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { manualClock } from '../../server/domain/clock.js';

export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestContext {
  app: FastifyInstance;
  db: Db;
  config: Config;
  clock: ReturnType<typeof manualClock>;
  dataDir: string;
  close(): Promise<void>;
}

/** A fresh temp directory and database migrated by the real migrations; no shared seed. */
export function makeTestConfig(env: Record<string, string> = {}): { config: Config; dataDir: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return { config, dataDir };
}

export function makeTestDb(config: Config): Db {
  const db = bindAuditKey(openDatabase(config.databasePath), config.dataKey);
  migrateDatabase(db);
  return db;
}

/** A stream that keeps every log line (JSON text) in `lines`, to check what reaches a log. */
export function captureLog(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
}

export async function buildTestApp(
  options: { env?: Record<string, string>; now?: string; extraRoutes?: (app: FastifyInstance) => void; logLines?: string[] } = {},
): Promise<TestContext> {
  const logging = options.logLines !== undefined;
  const { config, dataDir } = makeTestConfig(logging ? { LOG_LEVEL: 'trace', ...options.env } : options.env);
  const db = makeTestDb(config);
  const clock = manualClock(options.now ?? '2025-06-15T03:00:00Z');
  const app = await buildApp({ config, db, clock, logger: logging, ...(logging ? { logStream: captureLog(options.logLines!) } : {}) });
  // Test-only routes (e.g. one that throws, to see the 500 page) go in before ready().
  options.extraRoutes?.(app);
  await app.ready();
  return {
    app,
    db,
    config,
    clock,
    dataDir,
    close: async () => {
      await app.close();
      db.$client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
