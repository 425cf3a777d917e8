import { randomBytes } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';

// The receipt-mirror tests poll the bucket while the app puts a receipt there. Like S3, the test
// server must show a GET either nothing or the whole object: s3rver 3.7.1 alone answered a GET
// during a PUT with an empty object (CI saw it), and a PUT before its bytes were on disk.
let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.close());

describe('the test S3 server', () => {
  it('never shows part of an object, during its PUT or after it', async () => {
    const client = new AwsClient({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', service: 's3', region: 'us-east-1' });
    const seen: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const bytes = randomBytes(4 * 1024 * 1024);
      const url = `${s3.endpoint}/${s3.bucket}/during/${i}`;
      let putting = true;
      const put = client.fetch(url, { method: 'PUT', body: bytes }).finally(() => (putting = false));
      while (putting) {
        const response = await client.fetch(url);
        const body = Buffer.from(await response.arrayBuffer());
        if (response.ok && !body.equals(bytes)) seen.push(body.length);
      }
      expect((await put).status).toBe(200);
      const after = Buffer.from(await (await client.fetch(url)).arrayBuffer());
      if (!after.equals(bytes)) seen.push(after.length);
    }
    expect(seen).toEqual([]);
  });
});
