import { readFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { Busy } from '../../server/domain/errors.js';
import { createHeicConverter, type HeicConverter } from '../../server/domain/heic-pool.js';

const heic = readFileSync(path.join(import.meta.dirname, '../fixtures/receipt-gps.heic'));
let converter: HeicConverter | null = null;
afterEach(async () => {
  await converter?.close();
  converter = null;
});

describe('the HEIC worker pool', () => {
  it('converts on a thread other than the caller’s', { timeout: 120_000 }, async () => {
    converter = createHeicConverter();
    expect(converter.stats()).toEqual({ done: 0, waiting: 0, lastThreadId: null });
    const jpeg = await converter.convert(heic);
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 48]);
    const stats = converter.stats();
    expect(stats.done).toBe(1);
    expect(stats.waiting).toBe(0);
    expect(stats.lastThreadId).not.toBeNull();
    expect(stats.lastThreadId).not.toBe(threadId);
  });

  it('leaves the caller’s buffer usable (it sends a copy)', { timeout: 120_000 }, async () => {
    converter = createHeicConverter();
    const bytes = Buffer.from(heic);
    await converter.convert(bytes);
    expect(bytes.equals(heic)).toBe(true);
  });

  it('refuses with Busy when its queue is full, and still finishes what it holds', { timeout: 120_000 }, async () => {
    converter = createHeicConverter(2);
    const first = converter.convert(heic);
    const second = converter.convert(heic);
    expect(converter.stats().waiting).toBe(2);
    await expect(converter.convert(heic)).rejects.toBeInstanceOf(Busy);
    const done = await Promise.all([first, second]);
    expect(done.map((b) => b.subarray(0, 2).toString('hex'))).toEqual(['ffd8', 'ffd8']);
    expect(converter.stats()).toMatchObject({ done: 2, waiting: 0 });
    // Room again once the queue drains.
    await expect(converter.convert(heic)).resolves.toBeInstanceOf(Buffer);
  });

  it('fails a photo it cannot decode without stopping the worker', { timeout: 120_000 }, async () => {
    converter = createHeicConverter();
    const broken = Buffer.concat([heic.subarray(0, 200), Buffer.alloc(200)]);
    await expect(converter.convert(broken)).rejects.toThrow(/heic worker/);
    await expect(converter.convert(heic)).resolves.toBeInstanceOf(Buffer);
    expect(converter.stats().done).toBe(1);
  });
});
