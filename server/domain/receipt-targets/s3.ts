import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import type { ReceiptTarget } from '../../config.js';
import { ReceiptStoreError, type ReceiptStore } from './store.js';

type S3Target = Extract<ReceiptTarget, { kind: 's3' }>;

const TIMEOUT_MS = 30_000;

/**
 * Objects under `<path>/receipts/` in the bucket, signed with SigV4 (aws4fetch). Path-style URLs
 * (endpoint/bucket/key) for S3-compatible stores, virtual-hosted ones on AWS itself.
 */
export function s3Store(target: S3Target): ReceiptStore {
  const client = new AwsClient({
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    ...(target.sessionToken ? { sessionToken: target.sessionToken } : {}),
    service: 's3',
    region: target.region,
    // aws4fetch retries 5xx and 429 answers with a growing pause; a mirror round retries anyway.
    retries: 2,
  });
  const base = target.endpoint ? `${target.endpoint.replace(/\/+$/, '')}/${target.bucket}` : `https://${target.bucket}.s3.${target.region}.amazonaws.com`;
  const keyPath = (name: string) => `${target.prefix}${name}`.split('/').map(encodeURIComponent).join('/');
  const url = (name: string) => `${base}/${keyPath(name)}`;
  const request = async (method: string, name: string, init: RequestInit = {}) => {
    try {
      return await client.fetch(url(name), { ...init, method, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new ReceiptStoreError(`the S3 store did not answer a ${method} (${(error as Error).message})`);
    }
  };
  const refused = async (method: string, response: Response) => {
    // S3 error bodies are XML naming a Code; the key it echoes is left out.
    const code = /<Code>([^<]+)<\/Code>/.exec(await response.text().catch(() => ''))?.[1];
    return new ReceiptStoreError(`the S3 store answered ${response.status}${code ? ` ${code}` : ''} to a ${method}`);
  };

  return {
    async put(name, bytes) {
      // The payload's SHA-256 is signed: S3 refuses a body that arrived different from what was sent.
      const response = await request('PUT', name, {
        body: bytes,
        headers: { 'content-type': 'application/octet-stream', 'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex') },
      });
      if (!response.ok) throw await refused('PUT', response);
      await response.arrayBuffer();
    },
    async get(name) {
      const response = await request('GET', name);
      if (response.status === 404) {
        await response.arrayBuffer();
        return null;
      }
      if (!response.ok) throw await refused('GET', response);
      return Buffer.from(await response.arrayBuffer());
    },
    async delete(name) {
      const response = await request('DELETE', name);
      if (!response.ok && response.status !== 404) throw await refused('DELETE', response);
      await response.arrayBuffer();
    },
    async close() {},
  };
}
