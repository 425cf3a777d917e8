import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { verifyPassword } from '../../server/domain/passwords.js';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { runTsx } from '../helpers/run-script.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-scripts-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Run an npm script's file the way `npm run` does, on the throw-away DATA_DIR. */
const runScript = (script: string, args: string[], stdin = '') =>
  runTsx(`scripts/${script}`, args, { env: { DATA_DIR: dataDir, DATA_KEY: TEST_DATA_KEY }, stdin });

const createArgs = ['--email', 'First@Example.org', '--role', 'coordinator', '--admin', '--org', 'net', '--org-name', 'ネットワーク事務局', '--password-stdin'];
const openDb = () => openDatabase(path.join(dataDir, 'app.sqlite'));

describe('npm run user:create', () => {
  it('creates the organization and the first admin coordinator, password from stdin', async () => {
    const result = await runScript('create-user.ts', createArgs, 'a long first password\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created coordinator \(admin\) first@example\.org/);
    const db = openDb();
    const org = db.$client.prepare("SELECT * FROM organizations WHERE code = 'NET'").get() as { id: number; name: string };
    expect(org.name).toBe('ネットワーク事務局');
    const user = db.$client.prepare('SELECT * FROM users WHERE email = ?').get('first@example.org') as Record<string, unknown>;
    expect(user).toMatchObject({ role: 'coordinator', is_admin: 1, organization_id: org.id, must_change_password: 0 });
    // the line ending is not part of the password; nothing else is trimmed
    expect(await verifyPassword(user.password_hash as string, 'a long first password')).toBe(true);
    const actions = db.$client.prepare('SELECT action FROM audit_events ORDER BY id').pluck().all();
    expect(actions).toEqual(['organization.created', 'user.created']);
    db.$client.close();
  });

  it('refuses a short password and creates no user', async () => {
    const result = await runScript('create-user.ts', createArgs, 'too short\n');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/at least 12 characters/);
    // refused before anything is written: no database, so no organization without its user
    expect(existsSync(path.join(dataDir, 'app.sqlite'))).toBe(false);
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an honest database and non-zero naming the event on a tampered one', async () => {
    expect((await runScript('create-user.ts', createArgs, 'a long first password\n')).code).toBe(0);
    const honest = await runScript('verify-audit.ts', []);
    expect(honest.code).toBe(0);
    expect(honest.stdout).toMatch(/Audit chain verified: 2 events/);

    const db = openDb();
    db.$client.exec('DROP TRIGGER audit_events_no_update');
    db.$client.exec(`UPDATE audit_events SET after = replace(after, 'first@example.org', 'someone@else.org') WHERE action = 'user.created'`);
    const tamperedId = db.$client.prepare("SELECT id FROM audit_events WHERE action = 'user.created'").pluck().get();
    db.$client.close();

    const tampered = await runScript('verify-audit.ts', []);
    expect(tampered.code).not.toBe(0);
    expect(tampered.stderr).toContain(`BROKEN at event ${String(tamperedId)} (altered)`);
  });
});
