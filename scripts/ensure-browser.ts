// Run before `npm test`: the tests drive real clients from Debian, never downloaded ones — chromium
// (browser journeys, with fonts for Japanese, simplified Chinese and Nepali so text is measured as
// people see it), LibreOffice Calc (spreadsheets read back), poppler (PDF pages and text) and
// OpenSSH's sftp-server (the sftp:// replica tests' server speaks SFTP through it) with its
// ssh-keyscan and ssh-keygen (the host key fingerprint, read as an operator reads it).
// On a fresh machine where we are root with apt-get (ours and CI's), install them; elsewhere say how.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES = [
  'chromium',
  'fonts-ipafont-gothic',
  'fonts-wqy-microhei',
  'fonts-lohit-deva',
  'libreoffice-calc-nogui',
  'poppler-utils',
  'openssh-sftp-server',
  'openssh-client',
];
const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const hasFontFor = (lang: string) => spawnSync('fc-list', [`:lang=${lang}`], { encoding: 'utf8' }).stdout?.trim().length > 0;
const missing = () =>
  !existsSync('/usr/bin/chromium') ||
  !hasFontFor('ja') ||
  !hasFontFor('zh-cn') ||
  !hasFontFor('ne') ||
  !onPath('soffice') ||
  !onPath('pdftotext') ||
  !onPath('pdfinfo') ||
  !existsSync('/usr/lib/openssh/sftp-server') ||
  !onPath('ssh-keyscan');

if (missing()) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    console.error(
      `The tests need Debian's chromium, fonts for Japanese, Chinese and Nepali, LibreOffice Calc, poppler and OpenSSH's sftp-server and client: run\n  sudo apt-get install ${PACKAGES.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${PACKAGES.join(', ')} from Debian for the tests (once)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...PACKAGES], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
