// npm run i18n:export -- --lang vi [--out file.xlsx|file.csv]: a sheet for a volunteer translator.
import { parseArgs } from 'node:util';
import { LOCALES_DIR } from '../server/i18n/catalog-files.js';
import { exportRows, writeSheet } from '../server/i18n/sheet.js';

const { values } = parseArgs({ options: { lang: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string' } } });
if (!values.lang) {
  console.error('usage: npm run i18n:export -- --lang vi [--out i18n-vi.xlsx|.csv]');
  process.exit(2);
}
const out = values.out ?? `i18n-${values.lang}.xlsx`;
const rows = exportRows(values.dir ?? LOCALES_DIR, values.lang);
await writeSheet(rows, out, values.lang);
console.log(`${out}: ${rows.length} keys, ${rows.filter((r) => r[3] !== '').length} translated`);
