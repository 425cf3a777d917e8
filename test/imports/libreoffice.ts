import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A file written by LibreOffice Calc (headless): the import is proven on workbooks a real
 * spreadsheet program wrote, not only on exceljs's own. A CSV is read as UTF-8, comma-separated.
 */
export function convertWithLibreOffice(input: Buffer, inputName: string): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'eacm-lo-'));
  try {
    const source = path.join(dir, 'in', inputName);
    execFileSync('mkdir', ['-p', path.dirname(source)]);
    writeFileSync(source, input);
    const args = [`-env:UserInstallation=file://${dir}/profile`, '--headless'];
    if (inputName.endsWith('.csv')) args.push('--infilter=CSV:44,34,76,1');
    args.push('--convert-to', 'xlsx', '--outdir', path.join(dir, 'out'), source);
    execFileSync('soffice', args, { timeout: 120_000, stdio: 'pipe' });
    return readFileSync(path.join(dir, 'out', inputName.replace(/\.[a-z]+$/, '.xlsx')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
