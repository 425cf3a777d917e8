import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRows, importRows, readSheet, writeSheet } from '../../server/i18n/sheet.js';

let dir: string;
const meta = { name: 'Tiếng Việt', reviewed: false, reviewedBy: null, reviewedOn: null, dir: 'ltr' };
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'i18n-sheet-'));
  for (const lang of ['ja', 'en', 'vi']) mkdirSync(path.join(dir, lang));
  writeFileSync(path.join(dir, 'ja', 'common.json'), JSON.stringify({ 'a.hello': 'こんにちは、{name}さん', 'a.people': '{people, number}人' }));
  writeFileSync(path.join(dir, 'ja', 'auth.json'), JSON.stringify({ 'b.login': 'ログイン' }));
  writeFileSync(
    path.join(dir, 'en', 'common.json'),
    JSON.stringify({ 'a.hello': 'Hello, {name}', 'a.people': '{people, plural, one {# person} other {# people}}' }),
  );
  writeFileSync(path.join(dir, 'en', 'auth.json'), JSON.stringify({ 'b.login': 'Sign in' }));
  writeFileSync(path.join(dir, 'vi', '_meta.json'), JSON.stringify(meta));
  writeFileSync(path.join(dir, 'vi', 'auth.json'), JSON.stringify({ 'b.login': 'Đăng nhập' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const read = (lang: string, area: string) => JSON.parse(readFileSync(path.join(dir, lang, `${area}.json`), 'utf8')) as Record<string, string>;

describe('i18n:export / i18n:import', () => {
  it('exports key, both sources, the current text and a note', () => {
    expect(exportRows(dir, 'vi')).toEqual([
      ['b.login', 'ログイン', 'Sign in', 'Đăng nhập', ''],
      ['a.hello', 'こんにちは、{name}さん', 'Hello, {name}', '', 'keep {name}'],
      ['a.people', '{people, number}人', '{people, plural, one {# person} other {# people}}', '', 'keep {people}'],
    ]);
    expect(exportRows(dir, 'ne')[2]![4]).toBe('keep {people}; plural forms: one, other');
  });

  for (const ext of ['xlsx', 'csv']) {
    it(`round-trips through ${ext}: edited texts land in the right area files`, async () => {
      const file = path.join(dir, `vi.${ext}`);
      const rows = exportRows(dir, 'vi');
      rows[1]![3] = 'Xin chào, {name}';
      rows[2]![3] = '{people, number} người';
      await writeSheet(rows, file, 'vi');
      const back = await readSheet(file);
      expect(back.map((r) => r[3])).toEqual(['Đăng nhập', 'Xin chào, {name}', '{people, number} người']);
      expect(importRows(dir, 'vi', back)).toEqual({ problems: [], written: 3 });
      expect(read('vi', 'common')).toEqual({ 'a.hello': 'Xin chào, {name}', 'a.people': '{people, number} người' });
      expect(read('vi', 'auth')).toEqual({ 'b.login': 'Đăng nhập' });
    });
  }

  it('refuses the whole file on any problem and writes nothing', () => {
    const rows = [
      ['a.hello', '', '', 'Xin chào, {ten}', ''],
      ['b.login', '', '', 'Đăng nhập mới', ''],
      ['x.unknown', '', '', 'x', ''],
      ['a.people', '', '', '{people, plural, one {#} other {#}', ''],
    ];
    const { problems, written } = importRows(dir, 'vi', rows);
    expect(written).toBe(0);
    expect(problems).toEqual([
      expect.stringMatching(/^row 2 \(a\.hello\): placeholders \{ten\} differ/),
      'row 4 (x.unknown): unknown key',
      expect.stringMatching(/^row 5 \(a\.people\): ICU parse error/),
    ]);
    expect(read('vi', 'auth')).toEqual({ 'b.login': 'Đăng nhập' });
  });

  it('the scripts export and import through the command line, exiting 1 on a refused file', () => {
    const file = path.join(dir, 'vi.csv');
    execFileSync('npx', ['tsx', 'scripts/i18n-export.ts', '--dir', dir, '--lang', 'vi', '--out', file]);
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toBe('\ufeffkey,ja,en,text (vi),note');
    writeFileSync(file, csv.replace('Đăng nhập', 'Đăng nhập {oops}'));
    expect(() => execFileSync('npx', ['tsx', 'scripts/i18n-import.ts', '--dir', dir, '--lang', 'vi', file], { stdio: 'pipe' })).toThrow();
    writeFileSync(file, csv.replace('Đăng nhập', 'Đăng nhập ngay'));
    expect(execFileSync('npx', ['tsx', 'scripts/i18n-import.ts', '--dir', dir, '--lang', 'vi', file], { encoding: 'utf8' })).toContain('1 messages written');
    expect(read('vi', 'auth')).toEqual({ 'b.login': 'Đăng nhập ngay' });
  });
});
