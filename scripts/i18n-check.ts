// npm run i18n:check [-- --dir <locales dir>]: every catalog against the Japanese source; exit 1 on any problem.
import { parseArgs } from 'node:util';
import { LOCALES_DIR } from '../server/i18n/catalog-files.js';
import { checkCatalogs } from '../server/i18n/check.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, 'max-problems': { type: 'string' } } });
const { problems, reports } = checkCatalogs(values.dir ?? LOCALES_DIR);
const shown = Number(values['max-problems'] ?? 200);
const byLang = new Map<string, number>();
for (const p of problems) byLang.set(p.lang, (byLang.get(p.lang) ?? 0) + 1);
for (const [i, p] of problems.entries()) {
  if (i >= shown) {
    console.log(`… and ${problems.length - shown} more`);
    break;
  }
  console.log(`${p.lang}\t${p.key}\t${p.message}`);
}
console.log('\nlanguage    complete   reviewed   problems   name');
for (const r of reports) {
  console.log(
    `${r.lang.padEnd(11)} ${`${r.percent}%`.padStart(7)}    ${(r.reviewed ? 'yes' : 'no').padEnd(10)} ${String(byLang.get(r.lang) ?? 0).padStart(8)}   ${r.name}`,
  );
}
console.log(problems.length === 0 ? '\ni18n:check: all catalogs complete and consistent' : `\ni18n:check: ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
