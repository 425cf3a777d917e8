import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATA_KEY } from '../helpers/app.js';
import { runTsx } from '../helpers/run-script.js';

// The app, `npm start` and the scripts start through server/bootstrap.ts: the same sentence from each.
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'eacm-boot-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (file: string, env: Record<string, string>) => runTsx(file, [], { cwd: scratch, env: { NODE_ENV: 'production', REPLICA_URL: '', ...env } });

describe('one start-up path', () => {
  it('a bad DATA_KEY: the app, npm start and a script each say the one configuration sentence and exit 1', async () => {
    const env = { DATA_DIR: path.join(scratch, 'data'), DATA_KEY: 'not-a-key' };
    const answers = await Promise.all(['server/main.ts', 'server/start.ts', 'scripts/migrate.ts'].map((file) => run(file, env)));
    for (const answer of answers) {
      expect(answer.code).toBe(1);
      expect(answer.stderr).toMatch(/DATA_KEY must be the base64 encoding of exactly 32 bytes/);
      expect(answer.stderr).not.toMatch(/\n\s+at /);
    }
  }, 90_000);

  it('a DATA_DIR that cannot be written: the app and a script give the same sentence', async () => {
    writeFileSync(path.join(scratch, 'a-file'), '');
    const env = { DATA_DIR: path.join(scratch, 'a-file', 'data'), DATA_KEY: TEST_DATA_KEY };
    const answers = await Promise.all(['server/main.ts', 'scripts/migrate.ts'].map((file) => run(file, env)));
    for (const answer of answers) {
      expect(answer.code).toBe(1);
      expect(answer.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^DATA_DIR .*a-file\/data cannot be written \(ENOTDIR\): .*writable directory\.$/),
      ]);
    }
  }, 90_000);
});
