import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { runTsx } from '../helpers/run-script.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-audit-scripts-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Run an npm script's file the way `npm run` does, on the throw-away DATA_DIR. */
const runScript = (script: string, args: string[], stdin = '', dataKey = TEST_DATA_KEY) =>
  runTsx(`scripts/${script}`, args, { env: { DATA_DIR: dataDir, DATA_KEY: dataKey }, stdin });
const createUser = (email: string) =>
  runScript(
    'create-user.ts',
    ['--email', email, '--role', 'coordinator', '--admin', '--org', 'net', '--org-name', 'ネットワーク事務局', '--password-stdin'],
    'a long first password\n',
  );
const sql = (statement: string) => {
  const db = openDatabase(path.join(dataDir, 'app.sqlite'));
  db.$client.exec(statement);
  db.$client.close();
};

// Each case spawns several tsx processes: generous time on a busy machine.
describe('npm run audit:checkpoint and audit:verify -- --checkpoint FILE', { timeout: 240_000 }, () => {
  it('prints one line, writes it under DATA_DIR/checkpoints, and verify holds the chain to it', async () => {
    expect((await createUser('first@example.org')).code).toBe(0);
    const made = await runScript('audit-checkpoint.ts', []);
    expect(made.code).toBe(0);
    const line = made.stdout.trim();
    expect(line).toMatch(/^\{"auditCheckpoint":1,"seq":2,"mac":"[0-9a-f]{64}","at":"[^"]+"\}$/);
    const files = readdirSync(path.join(dataDir, 'checkpoints'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}\.\d{3}Z\.json$/);
    const file = path.join(dataDir, 'checkpoints', files[0]!);
    expect(readFileSync(file, 'utf8')).toBe(`${line}\n`);

    const held = await runScript('verify-audit.ts', ['--checkpoint', file]);
    expect(held.code).toBe(0);
    expect(held.stdout).toContain('Checkpoint verified: the chain still holds event 2 with the recorded MAC.');

    // The checkpoint pasted back from an e-mail works as well as the file.
    expect((await createUser('second@example.org')).code).toBe(0);
    const mail = path.join(dataDir, 'mail.txt');
    writeFileSync(mail, `Subject: audit checkpoint\n\n> ${line}\n`);
    expect((await runScript('verify-audit.ts', [`--checkpoint=${mail}`])).code).toBe(0);
  });

  it('fails when the newest events were deleted and sqlite_sequence rewound, which plain verify cannot see', async () => {
    expect((await createUser('first@example.org')).code).toBe(0);
    const made = await runScript('audit-checkpoint.ts', []);
    const file = path.join(dataDir, 'checkpoints', readdirSync(path.join(dataDir, 'checkpoints'))[0]!);
    expect(made.code).toBe(0);

    sql("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id = 2; UPDATE sqlite_sequence SET seq = 1 WHERE name = 'audit_events';");
    const plain = await runScript('verify-audit.ts', []);
    expect(plain.code).toBe(0);
    const checked = await runScript('verify-audit.ts', ['--checkpoint', file]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('Checkpoint FAILED: checkpoint at event 2 not reached: the chain is shorter than it was');
  });

  it('refuses a missing or malformed checkpoint file, and a trail that does not verify gets no checkpoint', async () => {
    expect((await createUser('first@example.org')).code).toBe(0);
    const missing = await runScript('verify-audit.ts', ['--checkpoint', path.join(dataDir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json/);
    writeFileSync(path.join(dataDir, 'bad.json'), '{"auditCheckpoint":1,"seq":2,"mac":"zz"}');
    expect((await runScript('verify-audit.ts', ['--checkpoint', path.join(dataDir, 'bad.json')])).stderr).toMatch(/mac must be 64 hex digits/);

    // Another DATA_KEY: the chain does not verify, so no checkpoint is issued over it.
    const wrongKey = Buffer.alloc(32, 1).toString('base64');
    const refused = await runScript('audit-checkpoint.ts', [], '', wrongKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('No checkpoint written, the trail does not verify');
    expect((await runScript('verify-audit.ts', [], '', wrongKey)).stderr).toContain('Audit chain BROKEN at event 1 (altered)');
  });
});
