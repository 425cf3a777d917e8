import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { disbursements, receipts } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { translator } from '../../server/i18n/index.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { multipartBody, postMultipart } from '../helpers/multipart.js';

const ja = translator('ja');
const html = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
let ctx: TestContext;
afterEach(async () => ctx.close());

async function setUp(options: Parameters<typeof buildTestApp>[0] = {}) {
  ctx = await buildTestApp(options);
  const world = await makeWorld(ctx.db);
  const caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 }).id;
  const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
  return { world, caseId, tokyo };
}
const storedFiles = () => {
  const dir = path.join(ctx.dataDir, 'receipts');
  return existsSync(dir) ? readdirSync(dir) : [];
};

/** A PNG whose header declares width × height, with almost no pixel data behind it. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('image size limit', () => {
  it('refuses more than 40 megapixels with 422 before decoding, and lets a smaller header through to decoding', async () => {
    const { caseId, world, tokyo } = await setUp();
    const d = makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id });
    const attach = (data: Buffer) => postMultipart(ctx.app, tokyo, `/disbursements/${d.id}/receipts`, {}, [{ name: 'receipt', filename: 'big.png', data }]);
    const huge = await attach(pngHeader(8000, 5001));
    expect(huge.statusCode).toBe(422);
    expect(huge.body).toContain(html(ja('receipts.tooManyPixels')));
    // Just under the limit: the header passes, and the (missing) pixels fail to decode instead.
    const under = await attach(pngHeader(8000, 5000));
    expect(under.statusCode).toBe(422);
    expect(under.body).toContain(html(ja('receipts.unreadable')));
    expect(storedFiles()).toEqual([]);
    expect(ctx.db.select().from(receipts).all()).toHaveLength(0);
  });
});

describe('a request whose client has gone', () => {
  it('commits nothing and leaves no file when the connection closes before the answer', async () => {
    // Hold each upload after its body has arrived until the test has closed the connection.
    let arrived: () => void = () => {};
    const bodyArrived = new Promise<void>((resolve) => (arrived = resolve));
    let handled: () => void = () => {};
    const handlerDone = new Promise<void>((resolve) => (handled = resolve));
    const isUpload = (request: FastifyRequest) => request.method === 'POST' && request.url === '/disbursements';
    const { caseId, tokyo } = await setUp({
      extraRoutes: (app: FastifyInstance) => {
        app.addHook('preHandler', async (request) => {
          if (!isUpload(request)) return;
          arrived();
          const socket = request.raw.socket;
          if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
        });
        // The handler's outcome either way: an answer being sent, or an error.
        app.addHook('onSend', async (request) => void (isUpload(request) && handled()));
        app.addHook('onError', async (request) => void (isUpload(request) && handled()));
      },
    });
    const token = await tokyo.csrf('/account');
    const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    const fields = {
      _csrf: token,
      caseId: String(caseId),
      idempotencyKey: newFormKey(),
      paidOn: '2025-06-10',
      fundId: String(defaultFundId(ctx.db)),
      method: 'cash',
      peopleCovered: '2',
      'lines[0][category]': 'food',
      'lines[0][amount]': '5000',
    };
    const { payload, contentType } = multipartBody(fields, [{ name: 'receipt', filename: 'r.jpg', data: photo }]);
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /disbursements HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\nCookie: ${tokyo.cookieHeader()}\r\n\r\n`,
    );
    socket.write(payload);
    await bodyArrived;
    let answered = '';
    socket.on('data', (chunk) => (answered += chunk.toString()));
    socket.destroy();
    // The handler runs on after the close; wait until it has finished with the files.
    await handlerDone;
    expect(answered).toBe('');
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(0);
    expect(storedFiles()).toEqual([]);
  });
});

describe('GET /receipts/:id when the stored file cannot be read', () => {
  it('answers 500 with the request id and logs the failure with it, never a silent 404', async () => {
    const lines: string[] = [];
    const { caseId, world, tokyo } = await setUp({ logLines: lines });
    const d = makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id });
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    expect((await postMultipart(ctx.app, tokyo, `/disbursements/${d.id}/receipts`, {}, [{ name: 'receipt', filename: 'r.jpg', data: photo }])).statusCode).toBe(
      303,
    );
    const row = ctx.db.select().from(receipts).get()!;
    // A directory where the file should be: unreadable even for root.
    const file = path.join(ctx.dataDir, 'receipts', row.storageName);
    rmSync(file);
    mkdirSync(file);
    const response = await tokyo.get(`/receipts/${row.id}`);
    expect(response.statusCode).toBe(500);
    const logged = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string; reqId?: string; receiptId?: number })
      .find((l) => l.msg === 'stored receipt could not be read');
    expect(logged).toMatchObject({ level: 50, receiptId: row.id });
    expect(logged!.reqId).toMatch(/^[0-9a-f]{8}$/);
    expect(response.body).toContain(logged!.reqId!);
  });
});
