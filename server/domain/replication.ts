// How far the off-site replica is behind, from Litestream's metrics: the position it has read
// from the WAL ("shadow") against the position the replica holds. A sample taken at time T is
// safe once the replica reaches T's shadow position; the lag is the age of the newest safe one.

export interface WalPosition {
  index: number;
  offset: number;
}
export interface LitestreamPositions {
  shadow: WalPosition;
  replica: WalPosition;
}
export interface ReplicationStatus {
  lag_s: number;
  last_ok: string | null;
}

function metric(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

/** The two positions from Litestream's Prometheus text, or null when it does not report them yet. */
export function parseLitestreamMetrics(text: string): LitestreamPositions | null {
  const values = ['litestream_shadow_wal_index', 'litestream_shadow_wal_size', 'litestream_replica_wal_index', 'litestream_replica_wal_offset'].map((name) =>
    metric(text, name),
  );
  if (values.some((v) => v === null)) return null;
  const [si, ss, ri, ro] = values as number[];
  return { shadow: { index: si!, offset: ss! }, replica: { index: ri!, offset: ro! } };
}

const reached = (replica: WalPosition, target: WalPosition) =>
  replica.index > target.index || (replica.index === target.index && replica.offset >= target.offset);

export interface ReplicationTracker {
  observe(atMs: number, positions: LitestreamPositions | null): void;
  status(nowMs: number): ReplicationStatus;
}

/** Remembers recent samples until the replica reaches them; starts as "behind since start". */
export function createReplicationTracker(startedAtMs: number): ReplicationTracker {
  let samples: { at: number; shadow: WalPosition }[] = [];
  let lastOk: number | null = null;
  return {
    observe(atMs, positions) {
      if (!positions) return; // Litestream unreachable: nothing is confirmed, the lag grows.
      samples.push({ at: atMs, shadow: positions.shadow });
      const safe = samples.filter((s) => reached(positions.replica, s.shadow));
      if (safe.length > 0) {
        lastOk = Math.max(lastOk ?? 0, ...safe.map((s) => s.at));
        samples = samples.filter((s) => s.at > lastOk!);
      }
      if (samples.length > 1000) samples = samples.slice(-1000);
    },
    status(nowMs) {
      const since = lastOk ?? startedAtMs;
      return { lag_s: Math.max(0, Math.round((nowMs - since) / 1000)), last_ok: lastOk === null ? null : new Date(lastOk).toISOString() };
    },
  };
}

/** /healthz's verdict: the status to show, and whether the lag is past what the operator allows. */
export function replicationHealth(status: ReplicationStatus, maxLagSeconds: number): { healthy: boolean; replication: ReplicationStatus } {
  return { healthy: status.lag_s <= maxLagSeconds, replication: status };
}
