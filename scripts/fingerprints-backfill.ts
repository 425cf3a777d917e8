import { createFieldCipher } from '../server/domain/field-crypto.js';
import { backfillFingerprints } from '../server/domain/fingerprint-backfill.js';
import { openScriptContext } from './context.js';

// npm run fingerprints:backfill — give every case with a name its keyed fingerprint (issue 14 ★).
// Safe to run any time, while the app runs, and again: it only fills rows that are missing.
const { config, db } = await openScriptContext();
const counts = await backfillFingerprints(db, createFieldCipher(config.dataKey, config.previousDataKeys), new Date(), {
  pause: () => new Promise((r) => setImmediate(r)),
});
db.$client.close();
console.log(
  `Fingerprints: ${counts.created} created from ${counts.scanned} cases without one, in ${counts.batches} batches; ${counts.noName} with no usable name; ${counts.unreadable} unreadable with this DATA_KEY.`,
);
if (counts.unreadable > 0) process.exitCode = 2;
