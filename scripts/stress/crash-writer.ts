// A writer process for the crash tests: real submissions and approvals through the domain
// layer, one line on stdout after each commit. The parent kills it with SIGKILL at random.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { createDisbursement } from '../../server/domain/disbursements.js';
import { approveDisbursement } from '../../server/domain/workflow.js';
import { openKeyedDatabase } from './keyed-database.js';

const [dbPath, supporterId, coordinatorId, caseId, fundId] = process.argv.slice(2);
const db = openKeyedDatabase(dbPath!);
const actorOf = (id: number): Actor => {
  const u = db.select().from(users).where(eq(users.id, id)).get()!;
  return { userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: u.displayName, locale: u.locale };
};
const supporter = actorOf(Number(supporterId));
const coordinator = actorOf(Number(coordinatorId));

// Pipes are synchronous on Linux: a line written here has reached the parent before the next write.
for (let i = 0; ; i++) {
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
        { category: 'food', amount: 1000 + (i % 97) },
        { category: 'shelter', amount: 20000 },
      ],
      idempotencyKey: randomBytes(16).toString('base64url'),
      receipts: [],
      // Load, not data entry: the same case is paid again and again on purpose.
      acknowledgement: { overCapReason: null, duplicateConfirmed: true },
    },
    new Date(),
  );
  const id = Number(location.split('/').pop());
  process.stdout.write(`created ${id}\n`);
  if (i % 2 === 0) {
    approveDisbursement(db, coordinator, id, { expectedVersion: 1 }, new Date());
    process.stdout.write(`approved ${id}\n`);
  }
}
