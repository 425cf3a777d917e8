import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_NODE_FLAGS } from '../../server/node-flags.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('the app process is started with the same Node flags everywhere', () => {
  it('npm start and the systemd unit pass APP_NODE_FLAGS to node (start.ts passes them to the child Litestream runs)', () => {
    const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(manifest.scripts.start).toBe(`node ${APP_NODE_FLAGS.join(' ')} dist/server/start.js`);
    expect(read('docs/deploy/kinkyu@.service')).toContain(`ExecStart=/usr/bin/node ${APP_NODE_FLAGS.join(' ')} dist/server/start.js`);
    expect(read('server/start.ts')).toContain('...APP_NODE_FLAGS');
  });
});
