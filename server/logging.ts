import type { FastifyServerOptions } from 'fastify';
import pretty from 'pino-pretty';
import type { Config } from './config.js';
import { serializeRequest } from './plugins/log-privacy.js';

/** Paths and headers that must never reach a log line (SPEC §8). */
export const LOG_REDACT = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'password', 'token', 'body.password'];

/**
 * JSON lines (one object per line, for journald or a collector) everywhere but development,
 * where pino-pretty makes them readable. Request lines carry Fastify's reqId either way.
 */
export function loggerOptions(config: Config, enabled: boolean, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (!enabled) return false;
  // Request lines show the path and parameter names only: a search term can be a person's alias.
  const base = { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' }, serializers: { req: serializeRequest } };
  // Tests capture the lines to prove what never reaches a log.
  if (stream) return { ...base, stream };
  if (config.nodeEnv !== 'development') return base;
  // A synchronous stream, not a transport worker: nothing is lost when the process exits.
  return { ...base, stream: pretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }) };
}
