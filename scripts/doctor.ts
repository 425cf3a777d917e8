// npm run doctor — check a deployment and print each finding with its fix; exit 1 on a failure.
import { ConfigError, loadConfig, readEnvironment } from '../server/config.js';
import { checkDisk, checkKey, checkModes, checkNode, checkReceiptTarget, checkReplica, checkTimezone, type Finding } from './doctor/checks.js';

const env = await readEnvironment();
let config;
try {
  config = loadConfig(env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.log(`FAIL config: ${error.message}`);
  process.exit(1);
}
const findings: Finding[] = [
  checkNode(process.version),
  checkTimezone(Intl.DateTimeFormat().resolvedOptions().timeZone),
  ...checkModes(config),
  checkKey(config),
  checkDisk(config),
  checkReplica(config, env),
];
const receipts = await checkReceiptTarget(config);
if (receipts) findings.push(receipts);
for (const f of findings) console.log(`${f.level.toUpperCase().padEnd(4)} ${f.check}: ${f.detail}${f.fix ? `\n     fix: ${f.fix}` : ''}`);
process.exit(findings.some((f) => f.level === 'fail') ? 1 : 0);
