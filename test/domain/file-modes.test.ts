import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../server/domain/backup.js';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { loadConfig, ConfigError } from '../../server/config.js';
import { prepareReceipt, storeReceipts } from '../../server/domain/receipts.js';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { runTsx } from '../helpers/run-script.js';

/** SPEC §10: data files are 0600, directories 0700 — whatever umask the process was started with. */
const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);
let scratch: string;
let savedUmask: number;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'eacm-modes-'));
  // The usual shell umask: files would be world-readable without the app's own care.
  savedUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(savedUmask);
  rmSync(scratch, { recursive: true, force: true });
});

const run = (file: string, env: Record<string, string>) => runTsx(file, [], { cwd: scratch, env });

describe('file modes', () => {
  it('the database, its -wal and -shm, receipts and backups are private even under umask 022', async () => {
    const dataDir = path.join(scratch, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const databasePath = path.join(dataDir, 'app.sqlite');
    // An older install left a world-readable database and receipts directory behind.
    writeFileSync(databasePath, '');
    chmodSync(databasePath, 0o644);
    mkdirSync(path.join(dataDir, 'receipts'), { mode: 0o755 });
    const db = openDatabase(databasePath);
    migrateDatabase(db);
    for (const name of ['app.sqlite', 'app.sqlite-wal', 'app.sqlite-shm']) expect([name, modeOf(path.join(dataDir, name))]).toEqual([name, '600']);

    const sharp = (await import('sharp')).default;
    const photo = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    const [stored] = await storeReceipts(dataDir, [await prepareReceipt(photo)]);
    expect(modeOf(path.join(dataDir, 'receipts'))).toBe('700');
    expect(modeOf(path.join(dataDir, 'receipts', stored!.storageName))).toBe('600');

    const backup = await backupDatabase({ databasePath, dataDir, dataKey: randomBytes(32), now: new Date('2025-06-15T03:00:00Z') });
    expect(modeOf(backup.checkpointFile)).toBe('600');
    db.$client.close();
    expect(modeOf(path.join(dataDir, 'backups'))).toBe('700');
    expect(modeOf(backup.file)).toBe('600');
    expect(modeOf(backup.receiptsDir!)).toBe('700');
    for (const name of readdirSync(backup.receiptsDir!)) expect(modeOf(path.join(backup.receiptsDir!, name))).toBe('600');
  });

  it('a script run under umask 022 creates a private data directory, key and database', async () => {
    const dataDir = path.join(scratch, 'fresh');
    const result = await run('scripts/migrate.ts', { DATA_DIR: dataDir, DATA_KEY: '' });
    expect(result.code).toBe(0);
    expect(modeOf(dataDir)).toBe('700');
    for (const name of readdirSync(dataDir)) {
      const mode = modeOf(path.join(dataDir, name));
      expect([name, mode]).toEqual([name, statSync(path.join(dataDir, name)).isDirectory() ? '700' : '600']);
    }
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['app.sqlite', 'data.key']));
  }, 60_000);
});

describe('a DATA_DIR that cannot be written', () => {
  // Root ignores permission bits, so the directory is made impossible instead: its parent is a file.
  const blocked = () => {
    writeFileSync(path.join(scratch, 'a-file'), '');
    return path.join(scratch, 'a-file', 'data');
  };

  it('stops the server with one clear sentence, not a stack trace', async () => {
    const result = await run('server/main.ts', { DATA_DIR: blocked(), DATA_KEY: TEST_DATA_KEY });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^DATA_DIR .*a-file\/data cannot be written \(ENOTDIR\): .*writable directory\.$/),
    ]);
  }, 60_000);

  it('is named among the configuration problems when a development key would be written there', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: blocked(), NODE_ENV: 'development' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^DATA_DIR .* cannot be written \(ENOTDIR\)/)]);
  });
});
