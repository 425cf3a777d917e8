import type Database from 'better-sqlite3';
import { GENESIS_HASH } from './audit.js';

/**
 * The head of the chain at one moment: its sequence number and MAC. Kept off the machine (an
 * e-mail to the auditor), it makes a shortened or re-written chain visible, because nobody
 * without DATA_KEY can produce the same MAC at the same sequence number again.
 */
export interface AuditCheckpoint {
  seq: number;
  mac: string;
  at: string;
}

export type CheckpointVerdict = { ok: true; seq: number } | { ok: false; seq: number; problem: 'shorter' | 'diverged' };

export class InvalidCheckpoint extends Error {
  constructor(detail: string) {
    super(`not an audit checkpoint: ${detail}`);
    this.name = 'InvalidCheckpoint';
  }
}

/** The newest event as the chain holds it now (seq 0 and the genesis value for an empty trail). */
export function readCheckpoint(sqlite: Database.Database, now: Date): AuditCheckpoint {
  const head = sqlite.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  return { seq: head?.id ?? 0, mac: head?.hash ?? GENESIS_HASH, at: now.toISOString() };
}

/** One line of JSON: short enough to paste into an e-mail, and it parses back exactly. */
export function formatCheckpoint(c: AuditCheckpoint): string {
  return JSON.stringify({ auditCheckpoint: 1, seq: c.seq, mac: c.mac, at: c.at });
}

/** Reads the line from a file or a pasted e-mail body: the first `{…}` holding a checkpoint. */
export function parseCheckpoint(text: string): AuditCheckpoint {
  for (const candidate of text.match(/\{[^{}]*\}/g) ?? []) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    const v = value as Record<string, unknown>;
    if (v.auditCheckpoint !== 1) continue;
    if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0) throw new InvalidCheckpoint('seq must be a whole number');
    if (typeof v.mac !== 'string' || !/^[0-9a-f]{64}$/.test(v.mac)) throw new InvalidCheckpoint('mac must be 64 hex digits');
    return { seq: v.seq as number, mac: v.mac, at: typeof v.at === 'string' ? v.at : '' };
  }
  throw new InvalidCheckpoint('no {"auditCheckpoint":1,…} line found');
}

/** File name under DATA_DIR/checkpoints/ (SPEC §10: `<time>.json`). */
export function checkpointFileName(c: AuditCheckpoint): string {
  return `${c.at.replace(/[-:]/g, '')}.json`;
}

/** The chain must still hold the checkpoint's event, with the same MAC. */
export function compareWithCheckpoint(sqlite: Database.Database, c: AuditCheckpoint): CheckpointVerdict {
  if (c.seq === 0) return { ok: true, seq: 0 };
  const row = sqlite.prepare('SELECT hash FROM audit_events WHERE id = ?').get(c.seq) as { hash: string } | undefined;
  if (!row) return { ok: false, seq: c.seq, problem: 'shorter' };
  return row.hash === c.mac ? { ok: true, seq: c.seq } : { ok: false, seq: c.seq, problem: 'diverged' };
}
