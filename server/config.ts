import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { dataDirProblem } from './data-dir.js';

/** Everything the app needs from its environment, parsed once. No other file reads process.env. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databasePath: string;
  readonly dataKey: Buffer;
  /** Keys being rotated away: still opened, never used to seal (npm run keys:rotate). */
  readonly previousDataKeys: readonly Buffer[];
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  readonly publicSuppressionThreshold: number;
  readonly rateLimitPerMinute: number;
  /** A demo database: every page says the data is fictional. */
  readonly isDemo: boolean;
  /** Continuous replication with Litestream (REPLICA_URL); null when not configured. */
  readonly replica: ReplicaConfig | null;
  /** Bearer token for /metrics; null keeps /metrics off (404). */
  readonly metricsToken: string | null;
  /** Whom to believe about the client address (X-Forwarded-For): false, a hop count, or proxy addresses. */
  readonly trustProxy: false | number | readonly string[];
  /** Coordinators and admins must pass TOTP after the password (default: production outside the demo). */
  readonly requireSecondFactor: boolean;
  /**
   * The address people type to reach the app (PUBLIC_ORIGIN, e.g. https://aid.example.org): passkeys
   * are bound to its host name. Null: passkeys are off.
   */
  readonly publicOrigin: string | null;
  /** E-mail through SMTP (SMTP_URL, MAIL_FROM); null when SMTP_URL is unset: mail is off. */
  readonly mail: MailConfig | null;
  /** Warnings to print at start (e.g. a generated key). */
  readonly warnings: readonly string[];
}

export interface ReplicaConfig {
  /** file:///path, s3://bucket/path or sftp://user@host/path */
  readonly url: string;
  /** S3-compatible endpoint (https://…) for stores other than AWS. */
  readonly endpoint: string | null;
  /** Private key for sftp:// replicas. */
  readonly sftpKeyPath: string | null;
  /** /healthz answers 503 when the replica is further behind than this. */
  readonly maxLagSeconds: number;
  /** Litestream's own metrics, on 127.0.0.1, which the app reads to know the lag. */
  readonly metricsPort: number;
  /** Where and how the app itself writes receipt files beside Litestream's generations/. */
  readonly receipts: ReceiptTarget;
}

/**
 * The receipts/ folder next to Litestream's generations/ on the replica, with what it takes to
 * write there: the credentials Litestream reads (S3), the URL's password or the key (SFTP).
 */
export type ReceiptTarget =
  | { readonly kind: 'file'; readonly dir: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** Key prefix ending in receipts/ (no leading slash). */
      readonly prefix: string;
      readonly endpoint: string | null;
      readonly region: string;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken: string | null;
    }
  | {
      readonly kind: 'sftp';
      readonly host: string;
      readonly port: number;
      readonly username: string;
      readonly password: string | null;
      readonly keyPath: string | null;
      /** The server's host key fingerprints (SHA256:…, as ssh-keygen -l prints them); any other key is refused. */
      readonly hostKeys: readonly string[];
      /** An absolute path on the server, as Litestream 0.3 reads the URL's path. */
      readonly dir: string;
    };

export interface MailConfig {
  /** smtp://host:25, smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 */
  readonly smtpUrl: string;
  /** The sender address; its domain ends every Message-ID. */
  readonly from: string;
  readonly fromDomain: string;
  /** Where links in mails point (PUBLIC_ORIGIN), e.g. https://aid.example.org */
  readonly origin: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const intFrom = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return Number(v);
    });

const envSchema = z.object({
  PORT: intFrom('PORT', 3000, 1, 65535),
  HOST: z.string().min(1, 'HOST must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'DATA_DIR must not be empty').default('./data'),
  DATA_KEY: z.string().optional(),
  DATA_KEY_PREVIOUS: z.string().optional(),
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: (i) => `NODE_ENV must be development, production or test (got "${String(i.input)}")`,
    })
    .default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: (i) => `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${String(i.input)}")`,
    })
    .default('info'),
  SESSION_IDLE_MINUTES: intFrom('SESSION_IDLE_MINUTES', 120, 1, 24 * 60),
  SESSION_MAX_HOURS: intFrom('SESSION_MAX_HOURS', 12, 1, 24 * 7),
  PUBLIC_SUPPRESSION_THRESHOLD: intFrom('PUBLIC_SUPPRESSION_THRESHOLD', 10, 1, 1000),
  RATE_LIMIT_PER_MINUTE: intFrom('RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000),
  DEMO: z.enum(['0', '1', ''], { error: 'DEMO must be 1 or 0' }).optional(),
  REPLICA_URL: z
    .string()
    .regex(
      /^(file:\/\/\/.+|s3:\/\/[^/\s]+(\/.*)?|sftp:\/\/[^/\s]+\/.*)$/,
      'REPLICA_URL must be file:///absolute/path, s3://bucket/path or sftp://user@host/path',
    )
    .optional()
    .or(z.literal('')),
  REPLICA_ENDPOINT: z.url({ error: 'REPLICA_ENDPOINT must be a URL such as https://s3.example.net' }).optional().or(z.literal('')),
  REPLICA_SFTP_KEY_PATH: z.string().optional(),
  REPLICA_SFTP_HOST_KEY: z
    .string()
    .regex(
      /^\s*SHA256:[A-Za-z0-9+/]{43}=?(\s*[,\s]\s*SHA256:[A-Za-z0-9+/]{43}=?)*\s*$/,
      'REPLICA_SFTP_HOST_KEY must be SHA256 fingerprints as ssh-keygen -l prints them (SHA256:…), separated by commas',
    )
    .optional()
    .or(z.literal('')),
  REPLICA_MAX_LAG_S: intFrom('REPLICA_MAX_LAG_S', 60, 1, 86_400),
  REPLICA_METRICS_PORT: intFrom('REPLICA_METRICS_PORT', 0, 1, 65535),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters (try: openssl rand -hex 24)').optional().or(z.literal('')),
  TRUST_PROXY: z
    .string()
    .regex(/^(|off|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, 'TRUST_PROXY must be off, a hop count (1) or proxy addresses (127.0.0.1,10.0.0.0/8)')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s/]+(\/[^\s]*)?$/, 'SMTP_URL must be smtp://host:port or smtps://user:password@host:465')
    .optional()
    .or(z.literal('')),
  MAIL_FROM: z.email({ error: 'MAIL_FROM must be an e-mail address such as aid@example.org' }).optional().or(z.literal('')),
  REQUIRE_SECOND_FACTOR: z.enum(['0', '1', 'true', 'false', ''], { error: 'REQUIRE_SECOND_FACTOR must be 1 or 0' }).optional(),
  PUBLIC_ORIGIN: z
    .string()
    .regex(
      /^(|https:\/\/[a-z0-9.-]+(:\d{1,5})?|http:\/\/localhost(:\d{1,5})?)$/,
      'PUBLIC_ORIGIN must be https://host[:port] (or http://localhost:port), without a path',
    )
    .optional(),
});

/** off → false; "1" → one hop; "127.0.0.1, 10.0.0.0/8" → those addresses only. */
function parseTrustProxy(value: string | undefined): false | number | readonly string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'off') return false;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  return Object.freeze(v.split(',').map((a) => a.trim()));
}

/** Mail is on when SMTP_URL is set; it then needs a sender, and in production the users' address. */
function mailConfig(
  e: { SMTP_URL?: string | undefined; MAIL_FROM?: string | undefined; PUBLIC_ORIGIN?: string | undefined; PORT: number },
  isProduction: boolean,
  problems: string[],
): MailConfig | null {
  if (!e.SMTP_URL) return null;
  if (!e.MAIL_FROM) problems.push('MAIL_FROM is required when SMTP_URL is set (the sender address, such as aid@example.org)');
  if (!e.PUBLIC_ORIGIN && isProduction) problems.push('PUBLIC_ORIGIN is required in production when SMTP_URL is set (links in mails point there)');
  if (!e.MAIL_FROM) return null;
  return Object.freeze({
    smtpUrl: e.SMTP_URL,
    from: e.MAIL_FROM,
    fromDomain: e.MAIL_FROM.slice(e.MAIL_FROM.lastIndexOf('@') + 1).toLowerCase(),
    origin: e.PUBLIC_ORIGIN || `http://localhost:${e.PORT}`,
  });
}

/**
 * Where Litestream 0.3 puts generations/, receipts/ goes beside it: for s3:// the URL's path
 * without its leading slash is the key prefix; for sftp:// and file:// the path is absolute on
 * the server (checked by running Litestream 0.3.13 against an SFTP server).
 */
function receiptTarget(
  url: string,
  endpoint: string | null,
  sftp: { keyPath: string | null; hostKeys: string | null },
  env: Record<string, string | undefined>,
  problems: string[],
): ReceiptTarget {
  const parsed = new URL(url);
  const base = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  const under = base ? `${base}/receipts` : 'receipts';
  if (parsed.protocol === 'file:') return { kind: 'file', dir: path.join(decodeURIComponent(parsed.pathname), 'receipts') };
  if (parsed.protocol === 's3:') {
    const accessKeyId = env.LITESTREAM_ACCESS_KEY_ID || env.AWS_ACCESS_KEY_ID || '';
    const secretAccessKey = env.LITESTREAM_SECRET_ACCESS_KEY || env.AWS_SECRET_ACCESS_KEY || '';
    if (!accessKeyId || !secretAccessKey)
      problems.push(
        'REPLICA_URL is an s3:// replica but its credentials are not set: set LITESTREAM_ACCESS_KEY_ID and LITESTREAM_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
      );
    return {
      kind: 's3',
      bucket: parsed.hostname,
      prefix: `${under}/`,
      endpoint,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      accessKeyId,
      secretAccessKey,
      sessionToken: env.AWS_SESSION_TOKEN || null,
    };
  }
  const { keyPath } = sftp;
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  const port = parsed.port ? Number(parsed.port) : 22;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!parsed.username) problems.push('REPLICA_URL for sftp:// must name the user: sftp://user@host/path');
  // Receipts are the photos themselves: they go only to the server the operator has named.
  if (!sftp.hostKeys)
    problems.push(
      `REPLICA_URL is an sftp:// replica without REPLICA_SFTP_HOST_KEY: set it to the server's host key fingerprint, which \`ssh-keyscan -p ${port} ${host} | ssh-keygen -lf -\` prints (SHA256:…), after comparing it with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the server`,
    );
  if (!password && !keyPath)
    problems.push('REPLICA_URL is an sftp:// replica without a way to sign in: put the password in the URL or set REPLICA_SFTP_KEY_PATH');
  if (keyPath && !existsSync(keyPath)) problems.push(`REPLICA_SFTP_KEY_PATH names no file (${keyPath})`);
  return {
    kind: 'sftp',
    host,
    port,
    username: decodeURIComponent(parsed.username),
    password,
    keyPath,
    hostKeys: (sftp.hostKeys ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((fingerprint) => fingerprint.replace(/=$/, '')),
    dir: `/${under}`,
  };
}

/** REPLICA_URL as it may be printed: an sftp:// password in it shows as ***. */
export function printableReplicaUrl(url: string): string {
  return url.replace(/^(sftp:\/\/[^:@/]+):[^@/]*@/, '$1:***@');
}

function decodeKey(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) return null;
  const key = Buffer.from(value.trim(), 'base64');
  return key.length === 32 ? key : null;
}

function dataKeyProblem(value: string | undefined, isProduction: boolean): string | null {
  if (value !== undefined && value !== '') {
    return decodeKey(value) ? null : 'DATA_KEY must be the base64 encoding of exactly 32 bytes (try: openssl rand -base64 32)';
  }
  return isProduction
    ? 'DATA_KEY is required in production: the base64 of 32 random bytes (openssl rand -base64 32). Keep it outside the database and its backups.'
    : null;
}

/**
 * Parse the environment. Outside production a missing DATA_KEY is generated into
 * DATA_DIR/data.key (mode 0600) and reused on later starts; in production it is required.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const keyProblem = dataKeyProblem(env.DATA_KEY, env.NODE_ENV === 'production');
  if (!parsed.success) {
    // Name every bad value in one go, the key's too, so a fix takes one round.
    const problems = parsed.error.issues.map((i) => i.message);
    throw new ConfigError(keyProblem ? [...problems, keyProblem] : problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const dataDir = path.resolve(e.DATA_DIR);
  const isProduction = e.NODE_ENV === 'production';
  let dataKey: Buffer | null = null;

  if (keyProblem) {
    problems.push(keyProblem);
  } else if (e.DATA_KEY !== undefined && e.DATA_KEY !== '') {
    dataKey = decodeKey(e.DATA_KEY);
  } else {
    const keyFile = path.join(dataDir, 'data.key');
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (existsSync(keyFile)) {
        dataKey = decodeKey(readFileSync(keyFile, 'utf8'));
        if (!dataKey) problems.push(`${keyFile} does not hold a valid key (base64 of 32 bytes)`);
      } else {
        writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
        dataKey = decodeKey(readFileSync(keyFile, 'utf8'));
        warnings.push(`DATA_KEY was not set: generated a development key in ${keyFile} (mode 0600). Set DATA_KEY in production.`);
      }
    } catch (error) {
      const sentence = dataDirProblem(error, dataDir);
      if (!sentence) throw error;
      problems.push(sentence);
    }
  }
  const previousDataKeys = (e.DATA_KEY_PREVIOUS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map(decodeKey);
  if (previousDataKeys.some((k) => k === null)) problems.push('DATA_KEY_PREVIOUS must be base64 keys of exactly 32 bytes, separated by commas');
  const mail = mailConfig(e, isProduction, problems);
  const receipts = e.REPLICA_URL
    ? receiptTarget(
        e.REPLICA_URL,
        e.REPLICA_ENDPOINT || null,
        { keyPath: e.REPLICA_SFTP_KEY_PATH || null, hostKeys: e.REPLICA_SFTP_HOST_KEY || null },
        env,
        problems,
      )
    : null;
  if (problems.length > 0 || !dataKey) throw new ConfigError(problems);

  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databasePath: path.join(dataDir, 'app.sqlite'),
    dataKey,
    previousDataKeys: Object.freeze(previousDataKeys.filter((k): k is Buffer => k !== null)),
    nodeEnv: e.NODE_ENV,
    isProduction,
    logLevel: e.LOG_LEVEL,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    publicSuppressionThreshold: e.PUBLIC_SUPPRESSION_THRESHOLD,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    isDemo: e.DEMO === '1',
    replica:
      e.REPLICA_URL && receipts
        ? Object.freeze({
            url: e.REPLICA_URL,
            endpoint: e.REPLICA_ENDPOINT || null,
            sftpKeyPath: e.REPLICA_SFTP_KEY_PATH || null,
            maxLagSeconds: e.REPLICA_MAX_LAG_S,
            // Default beside the app's port, so several networks on one machine do not collide.
            metricsPort: e.REPLICA_METRICS_PORT || (e.PORT + 1000 <= 65535 ? e.PORT + 1000 : e.PORT - 1000),
            receipts: Object.freeze(receipts),
          })
        : null,
    metricsToken: e.METRICS_TOKEN || null,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    requireSecondFactor:
      e.REQUIRE_SECOND_FACTOR === undefined || e.REQUIRE_SECOND_FACTOR === ''
        ? isProduction && e.DEMO !== '1'
        : e.REQUIRE_SECOND_FACTOR === '1' || e.REQUIRE_SECOND_FACTOR === 'true',
    publicOrigin: e.PUBLIC_ORIGIN || null,
    mail,
    warnings: Object.freeze(warnings),
  });
}

/** The environment, with `.env` in the working directory filling gaps (never overriding). */
export async function readEnvironment(): Promise<Record<string, string | undefined>> {
  const { config } = await import('dotenv');
  const fromFile: Record<string, string> = {};
  config({ processEnv: fromFile, quiet: true });
  return { ...fromFile, ...process.env };
}

/** Under vitest or NODE_ENV=test: a missing translation shows as ⟦key⟧ instead of falling back. */
export const runningTests = process.env.NODE_ENV === 'test' || Boolean(process.env.VITEST);
