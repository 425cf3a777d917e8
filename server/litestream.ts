import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Config, ReplicaConfig } from './config.js';

// Litestream (v0.3.x, from the @flydotio/litestream npm packages) replicates app.sqlite's WAL
// to REPLICA_URL. This module finds its binary and writes its configuration; nothing else
// in the app talks to it except through its metrics (server/domain/replication.ts).

export class LitestreamMissing extends Error {}

/** The binary for this platform, or a one-sentence reason why there is none. */
export function findLitestreamBinary(): string {
  const platformPackage = `@flydotio/litestream-${process.platform}-${process.arch}`;
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve(`${platformPackage}/package.json`));
    const binary = path.join(dir, 'litestream');
    if (existsSync(binary)) return binary;
  } catch {
    // not installed for this platform
  }
  throw new LitestreamMissing(
    `REPLICA_URL is set but no Litestream binary fits this machine (${process.platform}-${process.arch}; npm ships ${platformPackage} only for linux and macOS on x64 and arm64): run on one of those, or unset REPLICA_URL.`,
  );
}

/** How often Litestream looks at the WAL and ships it: together they bound the data lost on a crash. */
export const MONITOR_INTERVAL = '200ms';
export const SYNC_INTERVAL = '500ms';

const q = (value: string) => JSON.stringify(value); // a JSON string is a valid YAML scalar

/** litestream.yml for one database and its one replica. Secrets stay in the environment. */
export function litestreamYaml(databasePath: string, replica: ReplicaConfig, options: { metrics: boolean }): string {
  const lines = [
    ...(options.metrics ? [`addr: ${q(`127.0.0.1:${replica.metricsPort}`)}`] : []),
    'dbs:',
    `  - path: ${q(databasePath)}`,
    `    monitor-interval: ${MONITOR_INTERVAL}`,
    '    replicas:',
    `      - url: ${q(replica.url)}`,
    `        sync-interval: ${SYNC_INTERVAL}`,
    // A daily snapshot, a week of point-in-time history; nightly backups cover the years.
    '        snapshot-interval: 24h',
    '        retention: 168h',
  ];
  if (replica.endpoint) lines.push(`        endpoint: ${q(replica.endpoint)}`, '        force-path-style: true');
  if (replica.sftpKeyPath) lines.push(`        key-path: ${q(replica.sftpKeyPath)}`);
  return lines.join('\n') + '\n';
}

/** Write DATA_DIR/litestream.yml (regenerated at every start, so it always matches the environment). */
export function writeLitestreamConfig(config: Config, options: { databasePath?: string; metrics?: boolean } = {}): string {
  if (!config.replica) throw new Error('no replica configured');
  const file = path.join(config.dataDir, 'litestream.yml');
  writeFileSync(file, litestreamYaml(options.databasePath ?? config.databasePath, config.replica, { metrics: options.metrics ?? true }), { mode: 0o600 });
  return file;
}
