import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';

const run = promisify(execFile);

/**
 * CSV export filter options of LibreOffice Calc, by position: separator 44 (,), text delimiter
 * 34 ("), charset 76 (UTF-8), start row 1, column formats (none), language 0, quoted as text
 * false, detect special numbers true, "save cell contents as shown" (9th), formulas false, remove
 * spaces false, sheet -1 = every sheet to its own file (name-SheetName.csv).
 */
const csvExport = (asShown: boolean) => `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,${asShown},false,false,-1`;
/** Raw values: amounts without separators, so a number reads back as the number it is. */
export const CSV_RAW_VALUES = csvExport(false);
/** As the cells are formatted: shows that #,##0 and yyyy/mm/dd apply, i.e. number and date cells. */
export const CSV_AS_SHOWN = csvExport(true);
/** Import filter for a Shift_JIS CSV: charset 60 (MS-932), language 1041 (Japanese), detect dates. */
export const SHIFT_JIS_CSV_IMPORT = 'Text - txt - csv (StarCalc):44,34,60,1,,1041,false,true';

/**
 * LibreOffice headless in its own profile and HOME (parallel runs must not share one), in a temp
 * directory removed by close(). Each convert() is one soffice start (seconds): batch the files.
 */
export function startLibreOffice() {
  const root = mkdtempSync(path.join(tmpdir(), 'lo-profile-'));
  let round = 0;
  return {
    async convert(files: Record<string, Uint8Array>, convertTo: string, options: { infilter?: string } = {}): Promise<Record<string, Buffer>> {
      round += 1;
      const input = path.join(root, `in-${round}`);
      const output = path.join(root, `out-${round}`);
      mkdirSync(input);
      mkdirSync(output);
      for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(input, name), bytes);
      const args = [`-env:UserInstallation=${pathToFileURL(path.join(root, 'profile')).href}`, '--headless', '--norestore'];
      if (options.infilter) args.push(`--infilter=${options.infilter}`);
      args.push('--convert-to', convertTo, '--outdir', output, ...Object.keys(files).map((n) => path.join(input, n)));
      await run('soffice', args, { timeout: 120_000, env: { ...process.env, HOME: root } });
      return Object.fromEntries(readdirSync(output).map((name) => [name, readFileSync(path.join(output, name))]));
    },
    close(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A CSV LibreOffice wrote (UTF-8), as rows of strings. */
export function readCsv(bytes: Buffer): string[][] {
  return parse(bytes.toString('utf8').replace(/^\ufeff/, ''), { relax_column_count: true }) as string[][];
}
