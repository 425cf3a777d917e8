import { eq } from 'drizzle-orm';
import { mailOutbox } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';

export const MAIL_ENV = { MAIL_FROM: 'aid@example.org', PUBLIC_ORIGIN: 'https://aid.example.org' };

/** An app whose mail goes to `smtpUrl`, with the usual cast. */
export async function mailWorld(smtpUrl: string, options: { logLines?: string[] } = {}) {
  const ctx: TestContext = await buildTestApp({ env: { SMTP_URL: smtpUrl, ...MAIL_ENV }, ...options });
  const world = await makeWorld(ctx.db);
  const coordinator = await signedIn(ctx.app, world.coordinator);
  return { ctx, world, coordinator };
}

/** Tick the account page's box, as the user would. */
export async function optIn(ctx: TestContext, user: MadeUser): Promise<TestClient> {
  const client = await signedIn(ctx.app, user);
  await client.csrf('/account');
  const response = await client.post('/account/mail', { enabled: '1' });
  if (response.statusCode !== 303) throw new Error(`opt-in answered ${response.statusCode}`);
  return client;
}

export const outboxRows = (ctx: TestContext) => ctx.db.select().from(mailOutbox).orderBy(mailOutbox.id).all();
export const outboxRow = (ctx: TestContext, id: number) => ctx.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get()!;
