import { rekeyLegacyChain } from '../server/domain/audit-rekey.js';
import { fail, openScriptContext } from './context.js';

// npm run audit:rekey — once, right after upgrading a database written before the keyed chain.
const { db } = await openScriptContext();
const outcome = rekeyLegacyChain(db, new Date());
db.$client.close();
if (outcome.status === 'already_keyed') console.log(`Nothing to do: the chain of ${outcome.events} events is already keyed with this DATA_KEY.`);
else if (outcome.status === 'refused')
  fail(`Refused: event ${outcome.firstBadId} holds neither as an unkeyed link nor as a keyed one. Nothing was changed; investigate before anything else.`);
else
  console.log(
    `Re-keyed ${outcome.events} events with the key derived from DATA_KEY; sealed ${outcome.sealed} disbursements with their money digest. Take a checkpoint now: npm run audit:checkpoint`,
  );
