import { openScriptContext } from './context.js';

const { config, db } = await openScriptContext();
console.log(`Database ${config.databasePath} is migrated and its reference data seeded.`);
db.$client.close();
