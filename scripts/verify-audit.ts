import { verifyAuditChain } from '../server/domain/audit.js';
import { openScriptContext } from './context.js';

const { db } = await openScriptContext();
const verdict = verifyAuditChain(db);
db.$client.close();
if (verdict.ok) {
  console.log(`Audit chain verified: ${verdict.count} events, every hash and link holds.`);
} else {
  console.error(`Audit chain BROKEN at event ${verdict.firstBadId} (${verdict.reason}); ${verdict.count} events read.`);
  process.exit(1);
}
