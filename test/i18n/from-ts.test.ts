import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('i18n:from-ts turns TS catalog files into <lang>/<area>.json, keeping keys already there', () => {
  dir = mkdtempSync(path.join(tmpdir(), 'i18n-from-ts-'));
  mkdirSync(path.join(dir, 'ja'));
  mkdirSync(path.join(dir, 'locales', 'ja'), { recursive: true });
  writeFileSync(
    path.join(dir, 'ja', 'passkeys.ts'),
    "export const passkeys = { 'passkeys.title': 'パスキー', 'passkeys.count': '{n}件' } as const;\nexport const more = { 'passkeys.more': 'もっと' };\n",
  );
  writeFileSync(path.join(dir, 'locales', 'ja', 'passkeys.json'), JSON.stringify({ 'passkeys.old': '古い', 'passkeys.title': '前' }));
  execFileSync('npx', ['tsx', 'scripts/i18n-from-ts.ts', '--locales', path.join(dir, 'locales'), path.join(dir, 'ja', 'passkeys.ts')]);
  expect(JSON.parse(readFileSync(path.join(dir, 'locales', 'ja', 'passkeys.json'), 'utf8'))).toEqual({
    'passkeys.old': '古い',
    'passkeys.title': 'パスキー',
    'passkeys.count': '{n}件',
    'passkeys.more': 'もっと',
  });
});
