import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
