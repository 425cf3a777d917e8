import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReceiptStore } from './store.js';

/** A folder: the file:// replica's receipts/, or DATA_DIR/receipts when restoring. */
export function fileStore(dir: string): ReceiptStore {
  let made = false;
  return {
    async put(name, bytes) {
      if (!made) await mkdir(dir, { recursive: true, mode: 0o700 });
      made = true;
      // Written under a temporary name and renamed, so a reader never sees half a file.
      const partial = path.join(dir, `.${name}.${randomBytes(4).toString('hex')}.part`);
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, path.join(dir, name));
    },
    async get(name) {
      try {
        return await readFile(path.join(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(name) {
      await rm(path.join(dir, name), { force: true });
    },
    async close() {},
  };
}
