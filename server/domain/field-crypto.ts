import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of identifying case fields at rest (SPEC §8): AES-256-GCM, a random 12-byte IV per
 * value, a 16-byte tag, and additional data naming table, column and row so a ciphertext copied
 * elsewhere does not decrypt. Stored as `v1:<base64(iv | tag | ciphertext)>`; the version prefix
 * names the key, so a later rotation can read old values while writing new ones.
 */

const KEY_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** Where a value lives; the AAD binds the ciphertext to exactly this place. */
export interface FieldPlace {
  table: string;
  column: string;
  rowId: number;
}

export class FieldDecryptError extends Error {
  constructor(reason: string) {
    super(`encrypted field could not be read: ${reason}`);
    this.name = 'FieldDecryptError';
  }
}

export interface FieldCipher {
  encrypt(plain: string, place: FieldPlace): string;
  /** Throws FieldDecryptError on any mismatch: never returns garbage. */
  decrypt(stored: string, place: FieldPlace): string;
  /** Keyed blind index of an alias, for exact-match search without decrypting every row. */
  aliasIndex(alias: string): string;
  /** Keyed digest of any text: lets a request fingerprint cover identifying input without holding it. */
  digest(text: string): string;
}

// Each purpose gets its own subkey, so the configured key itself is used for nothing else.
function subkey(dataKey: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, 'kinkyu-shien-case', label, 32));
}

const aadFor = (place: FieldPlace) => Buffer.from(`${place.table}.${place.column}#${place.rowId}`, 'utf8');

/** The form an alias takes before it is indexed: the same name typed differently finds the same case. */
export function normalizeAlias(alias: string): string {
  return alias.normalize('NFKC').trim().toLowerCase();
}

export function createFieldCipher(dataKey: Buffer): FieldCipher {
  if (dataKey.length !== 32) throw new Error('the data key must be 32 bytes');
  const encryptionKey = subkey(dataKey, `field-encryption/${KEY_VERSION}`);
  const indexKey = subkey(dataKey, 'alias-blind-index/v1');
  const digestKey = subkey(dataKey, 'request-digest/v1');

  return {
    encrypt(plain, place) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, encryptionKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadFor(place));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${KEY_VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },

    decrypt(stored, place) {
      const separator = stored.indexOf(':');
      if (separator < 0) throw new FieldDecryptError('no key version');
      if (stored.slice(0, separator) !== KEY_VERSION) throw new FieldDecryptError('unknown key version');
      const packed = Buffer.from(stored.slice(separator + 1), 'base64');
      if (packed.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptError('too short');
      const iv = packed.subarray(0, IV_BYTES);
      const tag = packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const body = packed.subarray(IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv(ALGORITHM, encryptionKey, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aadFor(place));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new FieldDecryptError('authentication failed');
      }
    },

    aliasIndex(alias) {
      return createHmac('sha256', indexKey).update(normalizeAlias(alias), 'utf8').digest('hex');
    },

    digest(text) {
      return createHmac('sha256', digestKey).update(text, 'utf8').digest('hex');
    },
  };
}
