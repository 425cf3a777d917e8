import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crashRound, prepareCrashWorld } from './stress/crash-check.js';

// npm run stress:crash [-- N]: N rounds of "write, SIGKILL at a random moment, reopen and check".
const rounds = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(path.join(tmpdir(), 'eacm-crash-'));
const world = prepareCrashWorld(path.join(dir, 'app.sqlite'), 'not-a-real-hash');
let created = 0;
let approved = 0;
let failed = 0;
const started = Date.now();
for (let i = 1; i <= rounds; i++) {
  const result = await crashRound(world, 400);
  created += result.created;
  approved += result.approved;
  if (result.problems.length > 0) {
    failed += 1;
    console.error(`round ${i}: ${result.problems.join('; ')}`);
  }
  if (i % 20 === 0) console.log(`${i}/${rounds} rounds, ${created} reported creations, ${approved} approvals, ${failed} failed`);
}
console.log(
  `stress:crash: ${rounds} SIGKILL rounds in ${((Date.now() - started) / 1000).toFixed(0)} s; ${created} creations and ${approved} approvals reported committed; ${failed} rounds with problems.`,
);
rmSync(dir, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
