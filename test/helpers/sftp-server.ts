import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';

// A real SFTP server on 127.0.0.1 for the tests: ssh2's Server does the SSH transport and signs
// one user in (one password, one public key); the SFTP protocol itself is OpenSSH's sftp-server
// (Debian package openssh-sftp-server), started per session in a temporary directory and piped
// to the channel, so no SFTP code of ours answers our client.
export const SFTP_SERVER_BINARY = '/usr/lib/openssh/sftp-server';

export interface SftpServer {
  port: number;
  /** The login directory, where the tests' replicas live (their URLs name it by its absolute path). */
  root: string;
  user: string;
  password: string;
  /** A private key (OpenSSH format) the server accepts for `user`. */
  keyPath: string;
  /** The server's host key fingerprint as OpenSSH's ssh-keygen -l prints it (SHA256:…), for REPLICA_SFTP_HOST_KEY. */
  hostKeyFingerprint: string;
  /** How many times a client has tried to sign in (a client that refuses the host key never does). */
  signIns(): number;
  close(): Promise<void>;
}

/** An Ed25519 key pair without a passphrase: <dir>/<name> (private, OpenSSH format, 0600) and <name>.pub. */
const newKey = (dir: string, name: string) => {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'eacm-test', '-f', file], { stdio: 'ignore' });
  return file;
};

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export async function startSftpServer(): Promise<SftpServer> {
  if (!existsSync(SFTP_SERVER_BINARY)) throw new Error(`${SFTP_SERVER_BINARY} is missing: apt-get install openssh-sftp-server`);
  const root = mkdtempSync(path.join(tmpdir(), 'eacm-sftp-'));
  const keys = mkdtempSync(path.join(tmpdir(), 'eacm-sftp-keys-'));
  const user = 'replica';
  const password = 'correct horse battery';
  // Keys made by OpenSSH's ssh-keygen: ssh2's generateKeyPairSync drops a leading zero byte of an
  // Ed25519 public key, so about one key in 256 was unreadable (a CI run failed on one).
  const hostKeyPath = newKey(keys, 'host_key');
  const keyPath = newKey(keys, 'id_ed25519');
  // "256 SHA256:… comment (ED25519)": OpenSSH's own reading, not ours.
  const hostKeyFingerprint = execFileSync('ssh-keygen', ['-lf', `${hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  const allowed = ssh2.utils.parseKey(readFileSync(`${keyPath}.pub`, 'utf8')) as ParsedKey;

  let signIns = 0;
  const connections = new Set<Connection>();
  const children = new Set<ChildProcess>();
  const server = new ssh2.Server({ hostKeys: [readFileSync(hostKeyPath)] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      signIns += 1;
      if (ctx.username !== user) return ctx.reject();
      if (ctx.method === 'password') return ctx.password === password ? ctx.accept() : ctx.reject();
      if (ctx.method === 'publickey' && ctx.key.algo === allowed.type && same(ctx.key.data, allowed.getPublicSSH())) {
        // Without a signature the client only asks whether the key would do.
        if (!ctx.signature || allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (accept, reject, info) => {
          if (info.name !== 'sftp') return reject();
          const channel = accept();
          const child = spawn(SFTP_SERVER_BINARY, ['-d', root], { stdio: ['pipe', 'pipe', 'ignore'] });
          children.add(child);
          channel.pipe(child.stdin!);
          child.stdout!.pipe(channel);
          child.stdin!.on('error', () => undefined);
          child.on('exit', (code) => {
            children.delete(child);
            channel.exit(code ?? 0);
            channel.end();
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    root,
    user,
    password,
    keyPath,
    hostKeyFingerprint,
    signIns: () => signIns,
    async close() {
      for (const c of connections) c.end();
      for (const child of children) child.kill();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
      rmSync(keys, { recursive: true, force: true });
    },
  };
}
