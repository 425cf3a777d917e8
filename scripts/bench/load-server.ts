// The server of `npm run bench:load`, in its own process so the load generator does not share its
// event loop: the app as server/main.ts builds it, plus the ceiling route. Prints `listening PORT`.
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { systemClock } from '../../server/domain/clock.js';
import { isDemoDatabase } from '../../server/domain/demo/marker.js';
import { loadConfig } from '../../server/config.js';
import { registerReportCeiling } from './report-ceiling.js';

const [from, to, ceilingEmail] = process.argv.slice(2);
const loaded = loadConfig(process.env);
const db = openDatabase(loaded.databasePath);
const config = Object.freeze({ ...loaded, isDemo: loaded.isDemo || isDemoDatabase(db) });
const app = await buildApp({ config, db, clock: systemClock, logger: true });
const u = db.select().from(users).where(eq(users.email, ceilingEmail!)).get()!;
registerReportCeiling(
  app,
  db,
  systemClock,
  { userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: u.displayName, locale: u.locale },
  { from: from!, to: to! },
);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

const stop = async () => {
  await app.close();
  db.$client.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
