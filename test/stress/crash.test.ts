import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { crashRound, prepareCrashWorld } from '../../scripts/stress/crash-check.js';

const dir = mkdtempSync(path.join(tmpdir(), 'eacm-crash-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The long variant is `npm run stress:crash` (200 rounds); three rounds here keep npm test quick.
it('loses nothing committed when the writer is killed with SIGKILL at random moments', async () => {
  const world = prepareCrashWorld(path.join(dir, 'app.sqlite'), 'not-a-real-hash');
  let created = 0;
  for (let round = 0; round < 3; round++) {
    const result = await crashRound(world, 300);
    expect(result.problems).toEqual([]);
    created += result.created;
  }
  expect(created).toBeGreaterThan(0);
}, 120_000);
