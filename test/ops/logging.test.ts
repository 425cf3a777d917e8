import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../server/logging.js';
import { makeTestConfig } from '../helpers/app.js';

/** Production log lines as the app writes them, captured. */
async function productionLogs(): Promise<string> {
  const { config } = makeTestConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info' });
  let out = '';
  const capture = new Writable({ write: (chunk, _enc, done) => ((out += chunk.toString()), done()) });
  const options = loggerOptions(config, true) as Record<string, unknown>;
  const app = Fastify({ logger: { ...options, stream: capture }, genReqId: () => 'req-1234' });
  app.get('/x', async (request) => {
    request.log.info({ password: 'hunter2' }, 'handled');
    return { ok: true };
  });
  await app.inject({ method: 'GET', url: '/x', headers: { cookie: 'sid=secret' } });
  await app.close();
  return out;
}

describe('logs', () => {
  it('are JSON lines in production, each request line with its request id, secrets redacted', async () => {
    const lines = (await productionLogs())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = lines.filter((l) => 'reqId' in l);
    expect(requestLines.length).toBeGreaterThanOrEqual(3);
    expect(requestLines.every((l) => l.reqId === 'req-1234')).toBe(true);
    const all = JSON.stringify(lines);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('sid=secret');
  });

  it('are made readable by pino-pretty in development only', () => {
    const production = loggerOptions(makeTestConfig({ NODE_ENV: 'production' }).config, true) as Record<string, unknown>;
    const development = loggerOptions(makeTestConfig({ NODE_ENV: 'development' }).config, true) as Record<string, unknown>;
    expect(production.stream).toBeUndefined();
    expect(development.stream).toBeDefined();
    expect(loggerOptions(makeTestConfig().config, false)).toBe(false);
  });
});
