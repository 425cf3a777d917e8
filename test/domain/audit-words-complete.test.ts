import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownCatalogs } from '../../server/i18n/index.js';

// Audit actions are free strings written where the change happens; the trail must say each in words
// (issue 13 §5). This reads every action the server can write and asks the catalog for its sentence.
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

// An action appears as `action: '…'`, or in a constant named …ACTION… / …EVENT… (tables included).
const LITERAL = /'([a-z_]+\.[a-z_]+)'/g;
function actionsIn(text: string): string[] {
  const found = [...text.matchAll(/\baction: '([a-z_]+\.[a-z_]+)'/g)].map((m) => m[1]!);
  for (const line of text.split('\n')) if (/\baction: .*\?/.test(line)) found.push(...[...line.matchAll(LITERAL)].map((m) => m[1]!));
  for (const m of text.matchAll(/const [A-Z_]*(?:ACTION|EVENT)[A-Z_]*\b[^=]*= ([^;]*);/g)) found.push(...[...m[1]!.matchAll(LITERAL)].map((x) => x[1]!));
  return found;
}
const actions = [...new Set(sourceFiles(path.resolve('server')).flatMap((file) => actionsIn(readFileSync(file, 'utf8'))))].sort();

describe('the audit trail in words', () => {
  it('finds the actions the server writes', () => {
    expect(actions).toContain('disbursement.approved');
    expect(actions.length).toBeGreaterThan(50);
  });

  it.each(['ja', 'en'] as const)('has a sentence and a noun for every action in %s', (lang) => {
    const catalog = ownCatalogs[lang] as Record<string, string>;
    const missing = actions.flatMap((a) => [`auditWords.${a}`, `auditWords.noun.${a.split('.')[0]}`]).filter((k) => !(k in catalog));
    expect([...new Set(missing)]).toEqual([]);
  });
});
