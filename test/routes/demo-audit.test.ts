import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Db } from '../../db/client.js';
import { buildApp } from '../../server/app.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { manualClock } from '../../server/domain/clock.js';
import { DEMO_ACCOUNTS } from '../../scripts/demo/accounts.js';
import { seedDemoFile } from '../../scripts/demo/seed.js';
import { makeTestConfig } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';

// Issue 13 §5: the demo is built through the domain functions, so its /audit page reads as a
// history from 2020 and the campaign from 2023-07 on, in words. Seeded once for the file (slow).
const NOW = '2026-01-10T03:00:00Z';
let app: FastifyInstance;
let db: Db;
let auditor: TestClient;
let dataDir: string;

beforeAll(async () => {
  const made = makeTestConfig({ RATE_LIMIT_PER_MINUTE: '1000000' });
  dataDir = made.dataDir;
  await seedDemoFile(made.config.databasePath, new Date(NOW), { dataKey: made.config.dataKey });
  db = bindAuditKey(openDatabase(made.config.databasePath), made.config.dataKey);
  app = await buildApp({ config: made.config, db, clock: manualClock(NOW), logger: false });
  await app.ready();
  auditor = await signedIn(
    app,
    DEMO_ACCOUNTS.find((a) => a.role === 'auditor')!,
  );
}, 300_000);
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo /audit page', () => {
  it('shows July 2023 in words: who submitted and who approved which record, in Japan time', async () => {
    const body = (await auditor.get('/audit?from=2023-07-01&to=2023-07-31')).body;
    expect(body).toMatch(/支給 #[0-9]+（[A-Z]+-2023-[0-9]{4}、¥[0-9,]+）を承認/);
    expect(body).toMatch(/2023年7月[0-9]{1,2}日 [0-9]{1,2}:[0-9]{2}/); // Japan time, in the reader’s language
    expect(body).toContain('（コーディネーター）');
    expect(body).toContain('（支援者）');
    // no event of the demo is left without words
    expect(body).not.toMatch(/<code>[a-z_]+\.[a-z_]+<\/code>/);
  });

  it('starts in 2020 with the network set up and the round, and verifies', async () => {
    const body = (await auditor.get('/audit?from=2020-04-01&to=2020-04-30')).body;
    expect(body).not.toMatch(/<code>[a-z_]+\.[a-z_]+<\/code>/);
    expect(body).toContain('2020-04-');
    const events = db.$client.prepare("SELECT count(*) AS n FROM audit_events WHERE occurred_at < '2023-07-01'").get() as { n: number };
    expect(events.n).toBeGreaterThan(1_000);
  });
});
