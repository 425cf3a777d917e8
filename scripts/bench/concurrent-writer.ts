// One of two writer processes on the same database file (test/security/concurrency.test.ts):
// submissions and approvals through the domain layer, racing the other process for the same
// pending records (the contested list, in the same order, and whatever is oldest).
// One line on stdout per outcome; anything but a Conflict is an error line.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { createDisbursement } from '../../server/domain/disbursements.js';
import { Conflict } from '../../server/domain/errors.js';
import { approveDisbursement } from '../../server/domain/workflow.js';
import { openKeyedDatabase } from '../stress/keyed-database.js';

const [dbPath, supporterId, coordinatorId, caseId, fundId, countArg, tag, contestedArg = ''] = process.argv.slice(2);
const contested = contestedArg.split(',').filter(Boolean).map(Number);
const db = openKeyedDatabase(dbPath!);
const actorOf = (id: number): Actor => {
  const u = db.select().from(users).where(eq(users.id, id)).get()!;
  return { userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: u.displayName, locale: u.locale };
};
const supporter = actorOf(Number(supporterId));
const coordinator = actorOf(Number(coordinatorId));
const oldestPending = db.$client.prepare("SELECT id, version FROM disbursements WHERE status = 'pending' ORDER BY id LIMIT 1 OFFSET ?");
const say = (line: string) => process.stdout.write(`${line}\n`);

function tryApprove(id: number, version: number): void {
  try {
    approveDisbursement(db, coordinator, id, { expectedVersion: version }, new Date());
    say(`approved ${id}`);
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    say(`conflict ${id}`);
  }
}

// Say so, then wait for the starting line, so both processes begin together.
say('ready');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

for (let i = 0; i < Number(countArg); i++) {
  try {
    const amount = 1000 + ((i * 37 + tag!.length * 101) % 9000);
    const { location } = createDisbursement(
      db,
      supporter,
      {
        caseId: Number(caseId),
        paidOn: '2025-06-01',
        fundId: Number(fundId),
        method: 'cash',
        peopleCovered: 1,
        payee: null,
        note: null,
        lines: [
          { category: 'food', amount },
          { category: 'shelter', amount: 20000 },
        ],
        idempotencyKey: randomBytes(16).toString('base64url'),
        receipts: [],
        // Load, not data entry: the same case is paid again and again on purpose.
        acknowledgement: { overCapReason: null, duplicateConfirmed: true },
      },
      new Date(),
    );
    say(`created ${location.split('/').pop()} ${amount + 20000}`);
    // Both processes go for the same records: one must win each.
    if (i < contested.length) tryApprove(contested[i]!, 1);
    const oldest = oldestPending.get(i % 3) as { id: number; version: number } | undefined;
    if (oldest) tryApprove(oldest.id, oldest.version);
    // Requests arrive with gaps; without any, SQLite's busy handler lets one writer run far ahead.
    await new Promise((resolve) => setTimeout(resolve, i % 3));
  } catch (error) {
    say(`error ${error instanceof Error ? `${error.name} ${(error as { code?: string }).code ?? ''} ${error.message}` : String(error)}`);
    process.exitCode = 1;
    break;
  }
}
db.$client.close();
