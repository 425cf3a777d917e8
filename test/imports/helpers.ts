import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import iconv from 'iconv-lite';
import type { TestClient } from '../helpers/client.js';
import { postMultipart } from '../helpers/multipart.js';

export const HEADER = ['支給日', 'ケース番号', '区分', '金額', '人数', '支給方法', '備考'];

/** A CSV as a partner group's Excel would save it. */
export function csvOf(rows: string[][], options: { encoding?: 'utf-8' | 'utf-8-bom' | 'shift_jis'; header?: string[] } = {}): Buffer {
  const text =
    [options.header ?? HEADER, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
  if (options.encoding === 'shift_jis') return iconv.encode(text, 'cp932');
  const body = Buffer.from(text, 'utf8');
  return options.encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

export async function upload(
  app: FastifyInstance,
  client: TestClient,
  file: Buffer,
  fileName: string,
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return postMultipart(app, client, '/imports', fields, [{ name: 'file', filename: fileName, data: file }]);
}

export const batchIdOf = (response: LightMyRequestResponse): number => {
  const m = /^\/imports\/(\d+)$/.exec(String(response.headers.location));
  if (!m) throw new Error(`no batch location: ${response.statusCode} ${String(response.headers.location)}`);
  return Number(m[1]);
};

/** The mapping the page proposes, as the form would send it back (selects keep their chosen option). */
export function proposedForm(html: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const select of html.matchAll(/<select id="[^"]*" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)"[^>]* selected>/.exec(select[2]!);
    const first = /<option value="([^"]*)"/.exec(select[2]!);
    form[select[1]!.replaceAll('&#91;', '[').replaceAll('&#93;', ']')] = chosen?.[1] ?? first?.[1] ?? '';
  }
  for (const hidden of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (hidden[1] !== '_csrf') form[hidden[1]!] = decode(hidden[2]!);
  }
  delete form.mapping;
  return form;
}

const decode = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'");
