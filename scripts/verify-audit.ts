import { readFileSync } from 'node:fs';
import { InvalidCheckpoint, parseCheckpoint, type AuditCheckpoint } from '../server/domain/audit-checkpoint.js';
import { describeTrailProblems, verifyAuditTrail } from '../server/domain/audit-verify.js';
import { fail, openScriptContext } from './context.js';

// npm run audit:verify [-- --checkpoint FILE]: the chain, the ledger against it, and a checkpoint kept elsewhere.
const args = process.argv.slice(2);
const flag = args.findIndex((a) => a === '--checkpoint' || a.startsWith('--checkpoint='));
const checkpointFile = flag < 0 ? undefined : args[flag]!.includes('=') ? args[flag]!.slice('--checkpoint='.length) : args[flag + 1];
if (flag >= 0 && !checkpointFile) fail('usage: npm run audit:verify [-- --checkpoint FILE]');

let checkpoint: AuditCheckpoint | null = null;
if (checkpointFile) {
  try {
    checkpoint = parseCheckpoint(readFileSync(checkpointFile, 'utf8'));
  } catch (error) {
    if (error instanceof InvalidCheckpoint || (error as NodeJS.ErrnoException).code === 'ENOENT') fail(`${checkpointFile}: ${(error as Error).message}`);
    throw error;
  }
}

const { db } = await openScriptContext();
const verdict = verifyAuditTrail(db, { checkpoint });
db.$client.close();
const { chain } = verdict;
if (chain.ok) console.log(`Audit chain verified: ${chain.count} events, every MAC and link holds.`);
else console.error(`Audit chain BROKEN at event ${chain.firstBadId} (${chain.reason}); ${chain.count} events read.`);
if (verdict.ledger.length === 0) console.log(`Ledger verified: ${verdict.disbursements} disbursements match their last audit event.`);
else console.error(`Ledger DIFFERS from the audit trail for ${verdict.ledger.length} disbursement(s):`);
for (const problem of describeTrailProblems(verdict).filter((p) => p.startsWith('disbursement #'))) console.error(`  ${problem}`);
if (verdict.checkpoint?.ok) console.log(`Checkpoint verified: the chain still holds event ${verdict.checkpoint.seq} with the recorded MAC.`);
else if (verdict.checkpoint) console.error(`Checkpoint FAILED: ${describeTrailProblems(verdict).at(-1)!}`);
if (!verdict.ok) process.exit(1);
