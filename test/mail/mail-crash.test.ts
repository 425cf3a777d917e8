import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { enqueueMail } from '../../server/domain/mail-outbox.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';
import { startSmtp } from '../helpers/smtp.js';

const CHILD = fileURLToPath(new URL('./sender-child.ts', import.meta.url));
const { config, dataDir } = makeTestConfig();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function runSender(smtpUrl: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, config.databasePath, smtpUrl], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

it('loses no mail when the sender is killed with SIGKILL mid-batch; a message sent twice keeps its Message-ID', async () => {
  const db = makeTestDb(config);
  const world = await makeWorld(db);
  const recipient = { userId: world.tokyoSupporter.id, email: world.tokyoSupporter.email, locale: 'ja' as const };
  const TOTAL = 30;
  for (let n = 1; n <= TOTAL; n++) enqueueMail(db, { kind: 'rejection', recipient, subject: `subject ${n}`, body: `message ${n}\n` }, new Date());

  // The 10th message arrives, and before the server answers 250 the sender is killed.
  let signalKill: () => void = () => {};
  const killPoint = new Promise<void>((resolve) => (signalKill = resolve));
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const smtp = await startSmtp({
    beforeAccept: async () => {
      if (smtp.messages.length === 10) {
        signalKill();
        await released;
      }
    },
  });

  const first = runSender(smtp.url);
  await killPoint;
  first.child.kill('SIGKILL');
  expect(await first.exited).toBeNull();
  release();
  const statuses = db.$client.prepare('SELECT status, count(*) AS n FROM mail_outbox GROUP BY status').all() as { status: string; n: number }[];
  expect(statuses.find((s) => s.status === 'sent')?.n).toBe(9); // the 10th was never acknowledged
  expect(statuses.find((s) => s.status === 'queued')?.n).toBe(TOTAL - 9);

  const second = runSender(smtp.url);
  expect(await second.exited).toBe(0);
  await smtp.close();

  const rows = db.$client.prepare('SELECT id, body, status FROM mail_outbox ORDER BY id').all() as { id: number; body: string; status: string }[];
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  const copiesOf = (body: string) => smtp.messages.filter((m) => m.text === body);
  for (const row of rows) {
    const copies = copiesOf(row.body);
    expect(copies.length, row.body).toBeGreaterThanOrEqual(1);
    // Every copy of one outbox row carries the one Message-ID derived from its id.
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
    expect(copies[0]!.messageId).toMatch(new RegExp(`^<outbox-${row.id}\\.[0-9a-f]{16}@example\\.org>$`));
  }
  const twice = rows.filter((r) => copiesOf(r.body).length > 1);
  expect(twice.map((r) => r.body)).toEqual(['message 10\n']);
  expect(smtp.messages).toHaveLength(TOTAL + 1);
  db.$client.close();
}, 120_000);
