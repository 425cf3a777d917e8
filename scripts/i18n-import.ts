// npm run i18n:import -- --lang vi <file.xlsx|file.csv>: back into the JSON catalogs, all or nothing.
import { parseArgs } from 'node:util';
import { LOCALES_DIR } from '../server/i18n/catalog-files.js';
import { importRows, readSheet } from '../server/i18n/sheet.js';

const { values, positionals } = parseArgs({ options: { lang: { type: 'string' }, dir: { type: 'string' } }, allowPositionals: true });
const file = positionals[0];
if (!values.lang || !file) {
  console.error('usage: npm run i18n:import -- --lang vi <file.xlsx|.csv>');
  process.exit(2);
}
const { problems, written } = importRows(values.dir ?? LOCALES_DIR, values.lang, await readSheet(file));
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`i18n:import: refused, ${problems.length} problem(s); nothing was written`);
  process.exit(1);
}
console.log(`i18n:import: ${written} messages written for ${values.lang}; run npm run i18n:check`);
