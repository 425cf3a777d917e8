import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

describe('installable app: worker, offline page, manifest', () => {
  it('serves the service worker from the root, fetched afresh every time (no-store)', async () => {
    const res = await ctx.app.inject({ url: '/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain("importScripts('/assets/offline-store.js')");
  });

  it('gives a signed-in person an offline page that holds no name, no token and no menu (it is cached on the phone)', async () => {
    const world = await makeWorld(ctx.db);
    const client = await signedIn(ctx.app, world.tokyoSupporter);
    const name = (await client.get('/')).body.match(/<span class="who">([^(<]+)/)?.[1]?.trim();
    expect(name).toBeTruthy();
    const res = await client.get('/offline');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('接続がありません');
    expect(res.body).toContain('data-offline-list');
    expect(res.body).not.toContain(name!);
    expect(res.body).not.toContain('_csrf');
    expect(res.body).not.toContain('/logout');
  });

  it('serves the manifest with its media type and icons', async () => {
    const res = await ctx.app.inject({ url: '/assets/manifest.webmanifest' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/manifest+json');
    const manifest = JSON.parse(res.body) as { start_url: string; icons: { src: string }[] };
    expect(manifest.start_url).toBe('/');
    for (const icon of manifest.icons) expect((await ctx.app.inject({ url: icon.src })).statusCode).toBe(200);
  });

  it('links the manifest and the drafts script from every page', async () => {
    const res = await ctx.app.inject({ url: '/login' });
    expect(res.body).toContain('<link rel="manifest" href="/assets/manifest.webmanifest">');
    expect(res.body).toContain('/assets/offline-drafts.js');
  });
});
