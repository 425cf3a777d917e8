import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';

// A real S3 API on 127.0.0.1 (s3rver, objects on disk) with one bucket, "replica". Its built-in
// account: access key S3RVER, secret S3RVER; it checks the access key, not the SigV4 signature.
export interface S3Server {
  endpoint: string;
  bucket: string;
  credentials: { LITESTREAM_ACCESS_KEY_ID: string; LITESTREAM_SECRET_ACCESS_KEY: string };
  close(): Promise<void>;
}

export async function startS3Server(): Promise<S3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), 'eacm-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'replica' }] });
  keepReadAfterWrite(server);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'replica',
    credentials: { LITESTREAM_ACCESS_KEY_ID: 'S3RVER', LITESTREAM_SECRET_ACCESS_KEY: 'S3RVER' },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | NodeJS.ReadableStream; metadata: unknown }): Promise<{ size: number; md5: string }>;
}

/**
 * S3 answers a PUT only once the object is stored, and a GET after it sees all of it. s3rver 3.7.1
 * answers before its write stream has flushed, so a GET in between reads an empty or short object
 * (CI saw one). Its store's putObject is replaced by one that writes the bytes to a temporary
 * name, renames them into place, and only then answers.
 */
function keepReadAfterWrite(server: S3rver): void {
  const store = (server as unknown as { store: S3rverStore }).store;
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    const bytes = Buffer.isBuffer(object.content) ? object.content : await buffer(object.content);
    const md5 = createHash('md5').update(bytes).digest('hex');
    await mkdir(path.dirname(objectPath), { recursive: true });
    const temporary = `${objectPath}.${randomBytes(6).toString('hex')}.part`;
    await writeFile(temporary, bytes);
    await rename(temporary, objectPath);
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size: bytes.length, md5 };
  };
}
