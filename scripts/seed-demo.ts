import { DEMO_ACCOUNTS } from '../server/domain/demo/accounts.js';
import { CAMPAIGN_TARGETS } from '../server/domain/demo/targets.js';
import { seedDemoFile } from '../server/domain/demo/seed.js';
import { DemoSeedRefused, type DemoSeedSummary } from '../server/domain/demo/write.js';
import { formatYen, formatYenCampaign } from '../server/domain/format.js';
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

const { from, to } = CAMPAIGN_TARGETS;
console.log(
  [
    `Demonstration database written (fictional data): ${config.databasePath}`,
    `  ${summary.organizations} organizations, ${summary.users} users, ${summary.cases} cases, ${summary.disbursements} disbursements (${summary.lines} lines)`,
    `  ${from}..${to}, approved: のべ${summary.counted.peopleCumulative}人に対し ${formatYenCampaign(summary.counted.total)} (${formatYen(summary.counted.total)}),`,
    `  ${summary.counted.disbursements} disbursements; pending, rejected, withdrawn, voided and out-of-period records around them do not count.`,
    '',
    'Demo accounts (they exist only in this demonstration database):',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(26)} ${a.password.padEnd(22)} ${a.description}`),
  ].join('\n'),
);
