// Run before `npm test`: the browser journeys drive Debian's chromium, never a downloaded browser.
// On a fresh machine where we are root with apt-get (ours and CI's), install it; elsewhere say how.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const hasJapaneseFont = () => spawnSync('fc-list', [':lang=ja'], { encoding: 'utf8' }).stdout?.trim().length > 0;

if (!existsSync(CHROMIUM) || !hasJapaneseFont()) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    console.error(`The browser tests need Debian's chromium at ${CHROMIUM} and a Japanese font: run\n  sudo apt-get install chromium fonts-ipafont-gothic`);
    process.exit(1);
  }
  console.log('Installing chromium and a Japanese font from Debian for the browser tests (once)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-ipafont-gothic'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
