import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'eacm-mail-config-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const KEY = Buffer.alloc(32, 3).toString('base64');
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, DATA_KEY: KEY, ...env });
function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('SMTP_URL, MAIL_FROM and PUBLIC_ORIGIN', () => {
  it('leave mail off when SMTP_URL is unset or empty', () => {
    expect(load({}).mail).toBeNull();
    expect(load({ SMTP_URL: '', MAIL_FROM: 'aid@example.org' }).mail).toBeNull();
  });

  it('turn mail on with the sender domain and the origin links point to', () => {
    expect(load({ SMTP_URL: 'smtps://user:pass@smtp.example.net:465', MAIL_FROM: 'aid@Example.ORG', PUBLIC_ORIGIN: 'https://aid.example.org' }).mail).toEqual({
      smtpUrl: 'smtps://user:pass@smtp.example.net:465',
      from: 'aid@Example.ORG',
      fromDomain: 'example.org',
      origin: 'https://aid.example.org',
    });
    // Outside production the origin defaults to this machine.
    expect(load({ SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'aid@example.org', PORT: '4000' }).mail?.origin).toBe('http://localhost:4000');
  });

  it('name each bad value in one message', () => {
    expect(problemsOf({ SMTP_URL: 'http://smtp.example.net', MAIL_FROM: 'not an address', PUBLIC_ORIGIN: 'https://aid.example.org/path' })).toEqual([
      'SMTP_URL must be smtp://host:port or smtps://user:password@host:465',
      'MAIL_FROM must be an e-mail address such as aid@example.org',
      'PUBLIC_ORIGIN must be https://host[:port] (or http://localhost:port), without a path',
    ]);
  });

  it('need MAIL_FROM with SMTP_URL, and PUBLIC_ORIGIN in production', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:25' })).toEqual([
      'MAIL_FROM is required when SMTP_URL is set (the sender address, such as aid@example.org)',
    ]);
    expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:25', MAIL_FROM: 'aid@example.org', NODE_ENV: 'production' })).toEqual([
      'PUBLIC_ORIGIN is required in production when SMTP_URL is set (links in mails point there)',
    ]);
  });
});
