// `npm run build`: compile server/ and db/ to dist/ with tsc, then copy what the compiled code
// reads from beside itself (views, migrations), so dist/ runs on its own with plain node.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// A stale file from a deleted module must not survive into a new build.
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
// dist/server/plugins/views.js looks for ../../views, dist/db/migrate.js for ./migrations.
cpSync(path.join(root, 'views'), path.join(dist, 'views'), { recursive: true });
cpSync(path.join(root, 'server', 'i18n', 'locales'), path.join(dist, 'server', 'i18n', 'locales'), { recursive: true });
cpSync(path.join(root, 'db', 'migrations'), path.join(dist, 'db', 'migrations'), { recursive: true });
console.log(`Built ${path.relative(process.cwd(), dist) || dist}/ — run it with: node dist/server/start.js (what npm start does)`);
