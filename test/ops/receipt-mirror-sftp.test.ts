import { exec } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import SftpClient from 'ssh2-sftp-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReceiptTarget } from '../../scripts/doctor/checks.js';
import { mirrorReceipts, restoreReceipts, restoreReport } from '../../server/domain/receipt-mirror.js';
import { fileStore, openReceiptStore } from '../../server/domain/receipt-targets/index.js';
import { receiptsDir } from '../../server/domain/receipts.js';
import { databaseWithReplica, storeReceipt } from '../helpers/receipt-rows.js';
import { startSftpServer, type SftpServer } from '../helpers/sftp-server.js';

// Issue 17: receipts reach an sftp:// replica with the same guarantee as a file:// one, against
// OpenSSH's own sftp-server behind an SSH server in the test, never a mock.
let sftp: SftpServer;
beforeAll(async () => {
  sftp = await startSftpServer();
});
afterAll(async () => sftp?.close());

/** A database whose replica is on the test server, whose host key it names. */
const onTheServer = (env: Record<string, string>) => databaseWithReplica({ REPLICA_SFTP_HOST_KEY: sftp.hostKeyFingerprint, ...env });

/** Someone else with an account on the server overwrites a file. */
async function overwriteOnServer(remotePath: string, text: string) {
  const quiet = () => undefined;
  const other = new SftpClient('other', { error: quiet, end: quiet, close: quiet });
  await other.connect({ host: '127.0.0.1', port: sftp.port, username: sftp.user, password: sftp.password });
  await other.put(Buffer.from(text), remotePath);
  await other.end();
}

describe('receipt files follow the database to an sftp:// replica', () => {
  it('copies each file once under <path>/receipts/ (signed in with a password), re-copies a damaged copy, and the restore brings it back by hash', async () => {
    const local = onTheServer({
      REPLICA_URL: `sftp://${sftp.user}:${encodeURIComponent(sftp.password)}@127.0.0.1:${sftp.port}${sftp.root}/tokyo`,
    });
    try {
      const receipt = await storeReceipt(local.db, local.dataDir);
      const target = local.config.replica!.receipts;
      const source = fileStore(receiptsDir(local.dataDir));
      const verified = new Set<string>();
      expect(await mirrorReceipts(local.db, source, openReceiptStore(target), verified)).toEqual({ copied: 1, missing: [], mismatched: [], damaged: [] });
      // The URL's path is absolute on the server, as Litestream 0.3 reads it: beside its generations/.
      const onServer = path.join(sftp.root, 'tokyo', 'receipts', receipt.name);
      expect(readFileSync(onServer).equals(receipt.bytes)).toBe(true);
      const store = openReceiptStore(target);
      expect(await mirrorReceipts(local.db, source, store, verified)).toEqual({ copied: 0, missing: [], mismatched: [], damaged: [] });
      expect(await mirrorReceipts(local.db, source, store, new Set())).toEqual({ copied: 0, missing: [], mismatched: [], damaged: [] });
      await store.close();

      await overwriteOnServer(`${sftp.root}/tokyo/receipts/${receipt.name}`, 'not the receipt');
      const again = openReceiptStore(target);
      expect((await mirrorReceipts(local.db, source, again, new Set())).mismatched).toEqual([receipt.name]);
      expect(await again.get(receipt.name)).toBeNull();
      expect((await mirrorReceipts(local.db, source, again, new Set())).copied).toBe(1);
      await again.close();
      expect(readFileSync(onServer).equals(receipt.bytes)).toBe(true);

      const restoredDir = path.join(local.dataDir, 'restored', 'receipts');
      const restored = await restoreReceipts(local.db, target, restoredDir);
      expect(restored).toEqual({ copied: 1, missing: [], mismatched: [], damaged: [] });
      expect(readFileSync(path.join(restoredDir, receipt.name)).equals(receipt.bytes)).toBe(true);
      expect(restoreReport(restored).ok).toBe(true);

      await overwriteOnServer(`${sftp.root}/tokyo/receipts/${receipt.name}`, 'bit rot');
      const damaged = await restoreReceipts(local.db, target, path.join(local.dataDir, 'again'));
      expect(damaged.damaged).toEqual([receipt.name]);
      expect(restoreReport(damaged)).toMatchObject({
        ok: false,
        lines: [expect.any(String), expect.stringContaining('do not match the hash the database holds')],
      });
    } finally {
      local.close();
    }
  });

  it('signs in with REPLICA_SFTP_KEY_PATH, and a refused sign-in says so without naming a receipt', async () => {
    const url = `sftp://${sftp.user}@127.0.0.1:${sftp.port}${sftp.root}/keyed`;
    const local = onTheServer({ REPLICA_URL: url, REPLICA_SFTP_KEY_PATH: sftp.keyPath });
    try {
      const receipt = await storeReceipt(local.db, local.dataDir);
      const source = fileStore(receiptsDir(local.dataDir));
      const store = openReceiptStore(local.config.replica!.receipts);
      expect((await mirrorReceipts(local.db, source, store, new Set())).copied).toBe(1);
      await store.close();
      expect(readFileSync(path.join(sftp.root, 'keyed', 'receipts', receipt.name)).equals(receipt.bytes)).toBe(true);

      const wrong = onTheServer({
        REPLICA_URL: `sftp://${sftp.user}:wrong@127.0.0.1:${sftp.port}${sftp.root}/keyed`,
      });
      try {
        const refused = openReceiptStore(wrong.config.replica!.receipts);
        const error = await mirrorReceipts(local.db, source, refused, new Set()).catch((e: Error) => e);
        await refused.close();
        expect((error as Error).message).toMatch(/^cannot sign in to the SFTP server \(.*authentication methods failed/);
        expect((error as Error).message).not.toContain(receipt.name);
      } finally {
        wrong.close();
      }
    } finally {
      local.close();
    }
  });

  it('a copy appears whole or not at all: a reader watching the server during a large upload never finds part of it', async () => {
    const local = onTheServer({
      REPLICA_URL: `sftp://${sftp.user}@127.0.0.1:${sftp.port}${sftp.root}/whole`,
      REPLICA_SFTP_KEY_PATH: sftp.keyPath,
    });
    const store = openReceiptStore(local.config.replica!.receipts);
    try {
      const bytes = randomBytes(16 * 1024 * 1024);
      const onServer = path.join(sftp.root, 'whole', 'receipts', 'large.jpg');
      let done = false;
      const seen: number[] = [];
      const watching = (async () => {
        while (!done) {
          const found = await readFile(onServer).catch(() => null);
          if (found) seen.push(found.length);
          await new Promise((r) => setImmediate(r));
        }
      })();
      await store.put('large.jpg', bytes).finally(() => (done = true));
      await watching;
      expect(seen.filter((length) => length !== bytes.length)).toEqual([]);
      expect(readFileSync(onServer).equals(bytes)).toBe(true);
      // Nothing temporary is left beside it; a second put replaces the copy whole.
      expect(readdirSync(path.dirname(onServer))).toEqual(['large.jpg']);
      await store.put('large.jpg', Buffer.from('replaced'));
      expect(readFileSync(onServer, 'utf8')).toBe('replaced');
      expect(readdirSync(path.dirname(onServer))).toEqual(['large.jpg']);
    } finally {
      await store.close();
      local.close();
    }
  });

  it('sends only to the host key REPLICA_SFTP_HOST_KEY names, as ssh-keyscan and ssh-keygen print it; another key is refused before signing in', async () => {
    // The command README gives the operator, against this server (asynchronous: the server answers from this process).
    const scanned = await promisify(exec)(`ssh-keyscan -p ${sftp.port} 127.0.0.1 2>/dev/null | ssh-keygen -lf -`);
    expect(scanned.stdout.split(' ')[1]).toBe(sftp.hostKeyFingerprint);
    const url = `sftp://${sftp.user}@127.0.0.1:${sftp.port}${sftp.root}/pinned`;
    const other = `SHA256:${createHash('sha256').update('another server').digest('base64').replace(/=+$/, '')}`;
    const named = databaseWithReplica({ REPLICA_URL: url, REPLICA_SFTP_KEY_PATH: sftp.keyPath, REPLICA_SFTP_HOST_KEY: `${other}, ${sftp.hostKeyFingerprint}` });
    const stranger = databaseWithReplica({ REPLICA_URL: url, REPLICA_SFTP_KEY_PATH: sftp.keyPath, REPLICA_SFTP_HOST_KEY: other });
    try {
      const receipt = await storeReceipt(named.db, named.dataDir);
      const source = fileStore(receiptsDir(named.dataDir));
      const refused = openReceiptStore(stranger.config.replica!.receipts);
      const signInsBefore = sftp.signIns();
      const error = await mirrorReceipts(named.db, source, refused, new Set()).catch((e: Error) => e);
      await refused.close();
      expect((error as Error).message).toBe(
        `the SFTP server answered with host key ${sftp.hostKeyFingerprint}, which REPLICA_SFTP_HOST_KEY does not name: nothing was sent. If the server's key was changed, put its new fingerprint there; if not, someone may be between this machine and the server`,
      );
      expect(sftp.signIns()).toBe(signInsBefore);
      expect(existsSync(path.join(sftp.root, 'pinned'))).toBe(false);
      expect(await checkReceiptTarget(stranger.config)).toMatchObject({ level: 'fail', fix: expect.stringContaining('REPLICA_SFTP_HOST_KEY') });

      // One of several fingerprints (a server has a key per algorithm) is enough.
      const store = openReceiptStore(named.config.replica!.receipts);
      expect((await mirrorReceipts(named.db, source, store, new Set())).copied).toBe(1);
      await store.close();
      expect(readFileSync(path.join(sftp.root, 'pinned', 'receipts', receipt.name)).equals(receipt.bytes)).toBe(true);
    } finally {
      named.close();
      stranger.close();
    }
  });

  it('npm run doctor puts, reads back and deletes a probe file, and gives a fix when it cannot sign in', async () => {
    const good = onTheServer({
      REPLICA_URL: `sftp://${sftp.user}@127.0.0.1:${sftp.port}${sftp.root}/doctor`,
      REPLICA_SFTP_KEY_PATH: sftp.keyPath,
    });
    const bad = onTheServer({
      REPLICA_URL: `sftp://${sftp.user}:wrong@127.0.0.1:${sftp.port}${sftp.root}/doctor`,
    });
    try {
      expect(await checkReceiptTarget(good.config)).toMatchObject({ level: 'ok', detail: expect.stringContaining('gives it back unchanged') });
      expect(readdirSync(path.join(sftp.root, 'doctor', 'receipts'))).toEqual([]);
      const failed = await checkReceiptTarget(bad.config);
      expect(failed).toMatchObject({ level: 'fail', detail: expect.stringContaining('cannot sign in'), fix: expect.stringContaining('REPLICA_SFTP_KEY_PATH') });
      expect(JSON.stringify(failed)).not.toContain('wrong');
    } finally {
      good.close();
      bad.close();
    }
  });
});
