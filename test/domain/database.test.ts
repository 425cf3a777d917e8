import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { SEEDED_CATEGORIES } from '../../db/reference-data.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'eacm-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = [
  'accounting_accounts',
  'audit_events',
  'bell_seen',
  'case_purges',
  'cases',
  'categories',
  'category_budgets',
  'category_caps',
  'disbursement_approvals',
  'disbursement_flags',
  'disbursement_lines',
  'disbursements',
  'fund_review_rules',
  'fund_targets',
  'funds',
  'idempotency_keys',
  'identity_fingerprints',
  'import_batches',
  'import_case_refs',
  'import_mappings',
  'import_rows',
  'login_throttles',
  'lost_receipt_declarations',
  'mail_install',
  'mail_outbox',
  'mail_preferences',
  'money_in',
  'money_in_batches',
  'money_in_import_keys',
  'money_in_mappings',
  'network_settings',
  'organizations',
  'passkeys',
  'period_locks',
  'person_match_decisions',
  'receipt_erasures',
  'receipts',
  'recovery_codes',
  'rejection_reasons',
  'retention_policies',
  'reveal_policies',
  'round_applications',
  'round_entries',
  'rounds',
  'second_factors',
  'session_details',
  'sessions',
  'share_links',
  'upload_tokens',
  'users',
  'webauthn_challenges',
  'wrapped_keys',
];

describe('openDatabase', () => {
  it('sets and keeps the pragmas SPEC §7 promises', () => {
    const db = openDatabase(path.join(dir, 'app.sqlite'));
    const pragma = (name: string) => db.$client.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(2); // FULL
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    db.$client.close();
  });

  it('refuses a file that is not a database', () => {
    const file = path.join(dir, 'garbage.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 0x41));
    expect(() => openDatabase(file)).toThrow(/not a database|integrity/i);
  });

  it('refuses a database whose pages are damaged', () => {
    const file = path.join(dir, 'damaged.sqlite');
    const raw = new Database(file);
    raw.pragma('page_size = 4096');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);');
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    raw.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`value ${i} ${'x'.repeat(50)}`);
    })();
    raw.close();
    expect(statSync(file).size).toBeGreaterThan(4096 * 10);
    // Scribble over the middle of the file, as a failing disk would.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xff), 0, 4096 * 3, 4096 * 5);
    closeSync(fd);
    expect(() => openDatabase(file)).toThrow(/integrity|malformed|corrupt/i);
  });
});

describe('migrateDatabase', () => {
  it('creates every table from an empty file and seeds reference data once, however often it runs', () => {
    const file = path.join(dir, 'fresh.sqlite');
    const db = openDatabase(file);
    migrateDatabase(db);
    migrateDatabase(db);
    const tables = db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(TABLES);
    const triggers = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all();
    expect(triggers).toEqual(expect.arrayContaining(['audit_events_no_update', 'audit_events_no_delete', 'disbursements_never_deleted']));
    const codes = db.$client.prepare('SELECT code FROM categories ORDER BY sort_order').pluck().all();
    expect(codes).toEqual(SEEDED_CATEGORIES.map((c) => c.code));
    expect(codes).toHaveLength(7);
    expect(db.$client.prepare('SELECT count(*) FROM funds WHERE is_default = 1').pluck().get()).toBe(1);
    expect(db.$client.prepare('SELECT count(*) FROM funds').pluck().get()).toBe(1);
    db.$client.close();

    // A second process start on the same file changes nothing.
    const again = openDatabase(file);
    migrateDatabase(again);
    expect(again.$client.prepare('SELECT count(*) FROM categories').pluck().get()).toBe(7);
    expect(again.$client.prepare('SELECT count(*) FROM funds').pluck().get()).toBe(1);
    again.$client.close();
  });

  it('keeps an admin relabel of a seeded category across migrations', () => {
    const db = openDatabase(path.join(dir, 'relabel.sqlite'));
    migrateDatabase(db);
    db.$client.prepare("UPDATE categories SET label_en = 'Housing' WHERE code = 'shelter'").run();
    migrateDatabase(db);
    expect(db.$client.prepare("SELECT label_en FROM categories WHERE code = 'shelter'").pluck().get()).toBe('Housing');
    db.$client.close();
  });
});
