import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';

const migrations = path.resolve(import.meta.dirname, '../../db/migrations');
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was before `more_locales`. */
function foldersBefore(tag: string): string {
  const before = path.join(dir, 'before');
  cpSync(migrations, before, { recursive: true });
  const journalFile = path.join(before, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return before;
}

describe('migration more_locales', () => {
  it('widens users.locale to the eight languages and keeps every user and their sessions', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'more-locales-'));
    const db = openDatabase(path.join(dir, 'app.db'));
    const sqlite = db.$client;
    migrateDatabase(db, foldersBefore('more_locales'));
    sqlite.exec(`INSERT INTO organizations (code, name) VALUES ('TKY', 'Tokyo')`);
    sqlite.exec(
      `INSERT INTO users (organization_id, email, display_name, role, password_hash, locale) VALUES (1, 'a@example.org', 'A', 'supporter', 'x', 'en')`,
    );
    sqlite.exec(`INSERT INTO sessions (id, user_id, created_at, last_seen_at) VALUES ('s1', 1, 0, 0)`);
    expect(() => sqlite.exec(`UPDATE users SET locale = 'vi'`)).toThrow(/CHECK/);

    migrateDatabase(db);
    expect(sqlite.prepare('SELECT email, locale FROM users').all()).toEqual([{ email: 'a@example.org', locale: 'en' }]);
    // Dropping the old table must not have cascaded to the sessions.
    expect(sqlite.prepare('SELECT id FROM sessions').all()).toEqual([{ id: 's1' }]);
    for (const locale of ['ja', 'ja-x-easy', 'en', 'vi', 'zh-Hans', 'fil', 'pt-BR', 'ne']) sqlite.prepare('UPDATE users SET locale = ?').run(locale);
    expect(() => sqlite.exec(`UPDATE users SET locale = 'fr'`)).toThrow(/CHECK/);
    // Foreign keys are back on and still point at the rebuilt table.
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => sqlite.exec(`INSERT INTO sessions (id, user_id, created_at, last_seen_at) VALUES ('s2', 99, 0, 0)`)).toThrow(/FOREIGN KEY/);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    sqlite.close();
  });
});
