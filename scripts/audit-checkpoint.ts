import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkpointFileName, formatCheckpoint, readCheckpoint } from '../server/domain/audit-checkpoint.js';
import { describeTrailProblems, verifyAuditTrail } from '../server/domain/audit-verify.js';
import { fail, openScriptContext } from './context.js';

// npm run audit:checkpoint: the head of a verified chain as one line to keep off this machine.
const { config, db } = await openScriptContext();
const verdict = verifyAuditTrail(db);
const checkpoint = readCheckpoint(db.$client, new Date());
db.$client.close();
// A checkpoint vouches for what is there now: never issue one over a trail that does not verify.
if (!verdict.ok)
  fail(
    `No checkpoint written, the trail does not verify:\n${describeTrailProblems(verdict)
      .map((p) => `  ${p}`)
      .join('\n')}`,
  );

const dir = path.join(config.dataDir, 'checkpoints');
mkdirSync(dir, { recursive: true, mode: 0o700 });
const file = path.join(dir, checkpointFileName(checkpoint));
const line = formatCheckpoint(checkpoint);
writeFileSync(file, `${line}\n`, { mode: 0o600, flag: 'wx' });
console.log(line);
console.error(`Written to ${file}. Keep a copy off this machine (e.g. mail this line to the auditor); later:`);
console.error(`  npm run audit:verify -- --checkpoint FILE`);
