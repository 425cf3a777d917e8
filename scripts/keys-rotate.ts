import { resolveAuditKey } from '../server/domain/audit-key.js';
import { createFieldCipher } from '../server/domain/field-crypto.js';
import { rotateFieldKeys } from '../server/domain/key-rotation.js';
import { fail, openScriptContext } from './context.js';

/**
 * npm run keys:rotate — re-seal identity fields, TOTP secrets and the audit chain's key with a new
 * DATA_KEY, and recompute person fingerprints.
 * Safe order: restart the app with DATA_KEY=<new> and DATA_KEY_PREVIOUS=<old> (it then reads both
 * and writes with the new one), run this with the same variables, then drop DATA_KEY_PREVIOUS.
 * Options: --batch N (rows per transaction, default 200), --pause-ms N (breathing room between batches).
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) fail(`${name} must be a whole number`);
  return value;
};
const batchSize = Math.max(1, option('--batch', 200));
const pauseMs = option('--pause-ms', 0);

const { config, db } = await openScriptContext();
if (config.previousDataKeys.length === 0) {
  fail('Nothing to rotate from: set DATA_KEY to the NEW key and DATA_KEY_PREVIOUS to the old one (the app too), then run again.');
}
const cipher = createFieldCipher(config.dataKey, config.previousDataKeys);
const pause = new Int32Array(new SharedArrayBuffer(4));
const report = rotateFieldKeys(db, cipher, {
  batchSize,
  // The key the trail is written with today; from now on kept sealed under the new DATA_KEY.
  auditKey: resolveAuditKey(db, config.dataKey, config.previousDataKeys),
  afterBatch: (r) => {
    console.log(
      `progress: ${r.casesRewritten} cases, ${r.factorsRewritten} second factors re-sealed, ${r.fingerprintsRewritten} fingerprints recomputed, ${r.alreadyCurrent} already current`,
    );
    if (pauseMs > 0) Atomics.wait(pause, 0, 0, pauseMs);
  },
});
db.$client.close();
console.log(
  `Rotation complete: ${report.casesRewritten} cases and ${report.factorsRewritten} second factors re-sealed, ${report.alreadyCurrent} were already current.`,
);
console.log('Every value now opens with DATA_KEY alone: remove DATA_KEY_PREVIOUS and restart the app.');
