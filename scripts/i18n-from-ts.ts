// One-off (and reusable at merge): turn TS catalog files (server/i18n/<lang>/<area>.ts, each exporting
// flat { key: message } objects) into server/i18n/locales/<lang>/<area>.json. Keys already in the JSON
// file are kept unless the TS file gives them again. The language is the TS file's folder name.
// Usage: tsx scripts/i18n-from-ts.ts [--locales <dir>] <ts-file>...
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values, positionals: files } = parseArgs({ options: { locales: { type: 'string' } }, allowPositionals: true });
const localesDir = path.resolve(values.locales ?? path.join(root, 'server', 'i18n', 'locales'));
if (files.length === 0) {
  console.error('usage: tsx scripts/i18n-from-ts.ts server/i18n/ja/<area>.ts ...');
  process.exit(2);
}

for (const file of files) {
  const abs = path.resolve(file);
  const lang = path.basename(path.dirname(abs));
  const area = path.basename(abs, '.ts');
  const mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  const messages: Record<string, string> = {};
  for (const [name, value] of Object.entries(mod)) {
    if (!value || typeof value !== 'object') continue;
    for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
      if (typeof text !== 'string') throw new Error(`${file}: ${name}.${key} is not a string`);
      if (key in messages && messages[key] !== text) throw new Error(`${file}: ${key} is given twice with different text`);
      messages[key] = text;
    }
  }
  const outDir = path.join(localesDir, lang);
  const out = path.join(outDir, `${area}.json`);
  mkdirSync(outDir, { recursive: true });
  const before = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>) : {};
  const merged = { ...before, ...messages };
  writeFileSync(out, JSON.stringify(merged, null, 2) + '\n');
  console.log(`${out}: ${Object.keys(messages).length} keys`);
}
