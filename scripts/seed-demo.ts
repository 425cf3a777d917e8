import { DEMO_ACCOUNTS } from './demo/accounts.js';
import { CAMPAIGN_TARGETS } from './demo/targets.js';
import { seedDemoFile } from './demo/seed.js';
import { DemoSeedRefused, type DemoSeedSummary } from './demo/write.js';
import { openDatabase } from '../db/client.js';
import { demoReportLines } from './demo/report-lines.js';
import { fail, openScriptContext } from './context.js';

// npm run seed:demo — a fresh demonstration database in DATA_DIR; never over real records.
const { config, db } = await openScriptContext();
db.$client.close();

let summary: DemoSeedSummary;
try {
  summary = await seedDemoFile(config.databasePath, new Date(), { dataKey: config.dataKey });
} catch (error) {
  if (!(error instanceof DemoSeedRefused)) throw error;
  const { counts } = error;
  fail(
    [
      `seed:demo refused: ${config.databasePath} is not a demonstration database and already holds records`,
      `(${counts.organizations} organizations, ${counts.users} users, ${counts.cases} cases, ${counts.disbursements} disbursements).`,
      'Nothing was changed. Demonstration data only goes into an empty directory, for example:',
      '  DATA_DIR=./data-demo npm run seed:demo     (or simply: npm run demo)',
    ].join('\n'),
  );
}

// The figures come from the written database through the report function the pages use.
const written = openDatabase(config.databasePath, { readonly: true });
const reportLines = demoReportLines(written, CAMPAIGN_TARGETS);
written.$client.close();
console.log(
  [
    `Demonstration database written (fictional data): ${config.databasePath}`,
    `  ${summary.organizations} organizations, ${summary.users} users, ${summary.cases} cases, ${summary.disbursements} disbursements (${summary.lines} lines)`,
    ...reportLines,
    '  Pending, rejected, withdrawn, voided and out-of-period records around them do not count.',
    '',
    'Demo accounts (they exist only in this demonstration database):',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(26)} ${a.password.padEnd(22)} ${a.description}`),
  ].join('\n'),
);
