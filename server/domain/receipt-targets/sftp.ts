import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import SftpClient from 'ssh2-sftp-client';
import type { ReceiptTarget } from '../../config.js';
import { ReceiptStoreError, type ReceiptStore } from './store.js';

type SftpTarget = Extract<ReceiptTarget, { kind: 'sftp' }>;

const READY_TIMEOUT_MS = 20_000;
const quiet = () => undefined;
// Reads of 256 KiB (what OpenSSH's sftp-server answers at most) instead of the stream default of
// 64 KiB: a 300 KiB receipt read back took 230 ms in 64 KiB requests, 46 ms in 256 KiB ones.
// (ssh2's streams are Node streams and take highWaterMark; its type declarations leave it out.)
const CHUNK = 256 * 1024;
const reads = { readStreamOptions: { highWaterMark: CHUNK } } as SftpClient.TransferOptions;
const writes = { writeStreamOptions: { highWaterMark: CHUNK } } as SftpClient.TransferOptions;
const isMissing = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === 2 || code === 'ENOENT';
};
/** ssh2-sftp-client's messages end with the remote path: keep the code, leave the name out. */
const refused = (operation: string, error: unknown) => {
  if (error instanceof ReceiptStoreError) return error;
  const code = (error as { code?: unknown }).code;
  return new ReceiptStoreError(`the SFTP server refused a ${operation}${code === undefined ? '' : ` (code ${String(code)})`}`);
};

/** A host key's fingerprint as OpenSSH writes it: SHA256: and the unpadded base64 of the key blob's hash. */
const hostKeyFingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

/**
 * Files in `<path>/receipts/` on the SFTP server (ssh2-sftp-client). The connection opens at the
 * first call that needs it — a round with nothing to copy opens none — and close() ends it.
 */
export function sftpStore(target: SftpTarget): ReceiptStore {
  let client: SftpClient | null = null;
  let dirReady = false;
  const remote = (name: string) => `${target.dir}/${name}`;

  const connected = async (): Promise<SftpClient> => {
    if (client) return client;
    // The library's default listeners print to the console; an operation's failure reaches us as its rejection.
    const next = new SftpClient('receipts', { error: quiet, end: quiet, close: quiet });
    let offered: string | null = null;
    try {
      await next.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        ...(target.password ? { password: target.password } : {}),
        ...(target.keyPath ? { privateKey: await readFile(target.keyPath) } : {}),
        readyTimeout: READY_TIMEOUT_MS,
        // Checked before any password or key is offered, like ssh's known_hosts.
        hostVerifier: (key: Buffer) => target.hostKeys.includes((offered = hostKeyFingerprint(key))),
      });
    } catch (error) {
      await next.end().catch(() => undefined);
      if (offered && !target.hostKeys.includes(offered))
        throw new ReceiptStoreError(
          `the SFTP server answered with host key ${offered}, which REPLICA_SFTP_HOST_KEY does not name: nothing was sent. If the server's key was changed, put its new fingerprint there; if not, someone may be between this machine and the server`,
        );
      throw new ReceiptStoreError(`cannot sign in to the SFTP server (${(error as Error).message.replace(/^connect: /, '')})`);
    }
    client = next;
    return client;
  };
  const withDir = async (): Promise<SftpClient> => {
    const c = await connected();
    if (!dirReady) await c.mkdir(target.dir, true);
    dirReady = true;
    return c;
  };

  return {
    async put(name, bytes) {
      const c = await withDir().catch((error: unknown) => Promise.reject(refused('mkdir', error)));
      // Written under a temporary name and renamed, as a folder is: an SFTP write lands in pieces,
      // and a reader (a restore, a check, another copy) must never take half a file for the receipt.
      const partial = remote(`.${name}.${randomBytes(4).toString('hex')}.part`);
      try {
        await c.put(bytes, partial, writes);
        // OpenSSH's posix-rename replaces atomically; a server without it gets the plain SFTP
        // rename, which refuses to replace (a damaged copy is deleted before it is copied again).
        await c.posixRename(partial, remote(name)).catch(() => c.rename(partial, remote(name)));
      } catch (error) {
        await c.delete(partial, true).catch(() => undefined);
        throw refused('write', error);
      }
    },
    async get(name) {
      const c = await connected();
      try {
        return (await c.get(remote(name), undefined, reads)) as Buffer;
      } catch (error) {
        if (isMissing(error)) return null;
        throw refused('read', error);
      }
    },
    async delete(name) {
      const c = await connected();
      await c.delete(remote(name), true).catch((error: unknown) => Promise.reject(refused('delete', error)));
    },
    async close() {
      const open = client;
      client = null;
      dirReady = false;
      if (open) await open.end().catch(() => undefined);
    },
  };
}
