import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestClient } from './client.js';

export interface FilePart {
  name: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

/** A multipart/form-data body built by hand: one part per field value, then the files. */
export function multipartBody(fields: Record<string, string | string[]>, files: FilePart[] = []): { payload: Buffer; contentType: string } {
  const boundary = `----eacm${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  const head = (disposition: string, type?: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`);
  for (const [name, value] of Object.entries(fields)) {
    for (const item of [value].flat()) {
      chunks.push(head(`name="${name}"`), Buffer.from(item, 'utf8'), Buffer.from('\r\n'));
    }
  }
  for (const file of files) {
    const filename = file.filename.replaceAll('"', '%22');
    chunks.push(head(`name="${file.name}"; filename="${filename}"`, file.contentType ?? 'application/octet-stream'), file.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST a multipart form as the signed-in client, with its session cookie and CSRF token. */
export async function postMultipart(
  app: FastifyInstance,
  client: TestClient,
  url: string,
  fields: Record<string, string | string[]>,
  files: FilePart[] = [],
  options: { csrf?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const token = options.csrf === undefined ? await client.csrf('/account') : options.csrf;
  const { payload, contentType } = multipartBody(token === null ? fields : { _csrf: token, ...fields }, files);
  return app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, cookie: client.cookieHeader() } });
}
