import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// Node 20 is the floor until the project decides otherwise (README): a dependency whose `engines`
// excludes it — even one a patch release of something we use pulls in — fails here, so the lock
// file cannot raise the floor unnoticed. The app's own packages must run on 20.11; the test
// tooling (vitest 4 on vite 8) needs 20.19.
const RUNTIME_FLOOR = '20.11.0';
const DEVELOPMENT_FLOOR = '20.19.0';

interface LockPackage {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockPackage> };
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

/** Installed packages whose declared Node range excludes `floor`. */
function refusing(floor: string, include: (pkg: LockPackage) => boolean): string[] {
  return Object.entries(lock.packages)
    .filter(([name, pkg]) => name !== '' && include(pkg))
    .flatMap(([name, pkg]) => {
      const range = !pkg.engines || Array.isArray(pkg.engines) ? undefined : pkg.engines.node;
      return range && !semver.satisfies(floor, range) ? [`${name.replace(/^.*node_modules\//, '')}@${pkg.version} needs node ${range}`] : [];
    });
}

describe('the Node floor', () => {
  it('is what package.json declares', () => {
    expect(semver.minVersion(manifest.engines.node)?.version).toBe(RUNTIME_FLOOR);
  });

  it('is allowed by every package the app runs with', () => {
    expect(refusing(RUNTIME_FLOOR, (pkg) => !pkg.dev)).toEqual([]);
  });

  it('is allowed, at 20.19, by every package the tests and tools need', () => {
    expect(refusing(DEVELOPMENT_FLOOR, () => true)).toEqual([]);
  });
});
