import type { ReceiptTarget } from '../../config.js';
import { fileStore } from './file.js';
import { s3Store } from './s3.js';
import { sftpStore } from './sftp.js';
import type { ReceiptStore } from './store.js';

export { ReceiptStoreError, type ReceiptStore } from './store.js';
export { fileStore } from './file.js';

/** The replica's receipts/ as a store, chosen by the URL's scheme (parsed in config.ts). */
export function openReceiptStore(target: ReceiptTarget): ReceiptStore {
  switch (target.kind) {
    case 'file':
      return fileStore(target.dir);
    case 's3':
      return s3Store(target);
    case 'sftp':
      return sftpStore(target);
  }
}

/** Where the receipts go, for a log line or a report: never a password, never an object name. */
export function describeReceiptTarget(target: ReceiptTarget): string {
  switch (target.kind) {
    case 'file':
      return target.dir;
    case 's3':
      return `s3://${target.bucket}/${target.prefix}${target.endpoint ? ` at ${target.endpoint}` : ''}`;
    case 'sftp':
      return `sftp://${target.username}@${target.host}:${target.port}/${target.dir}/`;
  }
}
