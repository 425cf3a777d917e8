import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-config-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const KEY = Buffer.alloc(32, 3).toString('base64');

/** The messages a bad environment produces (fails the test when it loads). */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig({ DATA_DIR: dataDir, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults, frozen', () => {
    const config = loadConfig({ DATA_DIR: dataDir, DATA_KEY: KEY });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', nodeEnv: 'development', logLevel: 'info', sessionIdleMinutes: 120, sessionMaxHours: 12 });
    expect(config.databasePath).toBe(path.join(dataDir, 'app.sqlite'));
    expect(config.dataKey.equals(Buffer.alloc(32, 3))).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.warnings).toEqual([]);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number from 1 to 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ HOST: '' }, /HOST must not be empty/],
    [{ DATA_DIR: '' }, /DATA_DIR must not be empty/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV must be development, production or test \(got "staging"\)/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/],
    [{ SESSION_IDLE_MINUTES: '0' }, /SESSION_IDLE_MINUTES must be a whole number/],
    [{ SESSION_MAX_HOURS: '1.5' }, /SESSION_MAX_HOURS must be a whole number/],
    [{ DEMO: 'yes' }, /DEMO must be 1 or 0/],
  ])('names the bad value %o', (env, message) => {
    const problems = problemsOf({ DATA_KEY: KEY, ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reports every bad value at once', () => {
    const problems = problemsOf({ DATA_KEY: 'short', PORT: 'x', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/DATA_KEY must be/);
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'x' })).toEqual([expect.stringMatching(/^PORT/), expect.stringMatching(/^DATA_KEY is required/)]);
    const error = (() => {
      try {
        loadConfig({ DATA_DIR: dataDir, DATA_KEY: KEY, PORT: 'x' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^Configuration is invalid:\n {2}- PORT/);
  });

  it.each([
    ['not base64 at all!', 'invalid base64'],
    [Buffer.alloc(16, 1).toString('base64'), '16 bytes'],
    [Buffer.alloc(33, 1).toString('base64'), '33 bytes'],
  ])('refuses DATA_KEY %s (%s)', (key) => {
    expect(problemsOf({ DATA_KEY: key })).toEqual([expect.stringMatching(/DATA_KEY must be the base64 encoding of exactly 32 bytes/)]);
  });

  it('refuses to start in production without DATA_KEY, and writes no key file', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/DATA_KEY is required in production/)]);
    expect(() => statSync(path.join(dataDir, 'data.key'))).toThrow();
  });

  it('outside production generates DATA_DIR/data.key (mode 0600) with a warning, and reuses it', () => {
    const nested = path.join(dataDir, 'not-yet-there');
    const first = loadConfig({ DATA_DIR: nested });
    const keyFile = path.join(nested, 'data.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first.dataKey).toHaveLength(32);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').equals(first.dataKey)).toBe(true);
    expect(first.warnings).toEqual([expect.stringMatching(/DATA_KEY was not set: generated a development key in .*data\.key \(mode 0600\)/)]);

    const second = loadConfig({ DATA_DIR: nested, DATA_KEY: '' });
    expect(second.dataKey.equals(first.dataKey)).toBe(true);
    expect(second.warnings).toEqual([]);
  });

  it('refuses a damaged generated key file instead of replacing it', () => {
    writeFileSync(path.join(dataDir, 'data.key'), 'garbage\n', { mode: 0o600 });
    expect(problemsOf({})).toEqual([expect.stringMatching(/data\.key does not hold a valid key/)]);
    expect(readFileSync(path.join(dataDir, 'data.key'), 'utf8')).toBe('garbage\n');
  });
});
