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
  /** The index under the current key and, during a rotation, under each previous key. */
  aliasIndexes(alias: string): string[];
  /** True when the stored value opens with the current key (a rotation has reached it). */
  isCurrent(stored: string, place: FieldPlace): boolean;
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

function open(encryptionKey: Buffer, iv: Buffer, tag: Buffer, body: Buffer, place: FieldPlace): string | null {
  try {
    const decipher = createDecipheriv(ALGORITHM, encryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadFor(place));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * `previousKeys`: keys being rotated away (DATA_KEY_PREVIOUS). Values sealed with them still open
 * (GCM's tag tells which key fits); everything new is sealed with `dataKey`.
 */
export function createFieldCipher(dataKey: Buffer, previousKeys: readonly Buffer[] = []): FieldCipher {
  if (dataKey.length !== 32 || previousKeys.some((k) => k.length !== 32)) throw new Error('the data key must be 32 bytes');
  const encryptionKey = subkey(dataKey, `field-encryption/${KEY_VERSION}`);
  const indexKey = subkey(dataKey, 'alias-blind-index/v1');
  const digestKey = subkey(dataKey, 'request-digest/v1');
  const openingKeys = [encryptionKey, ...previousKeys.map((k) => subkey(k, `field-encryption/${KEY_VERSION}`))];
  const indexKeys = [indexKey, ...previousKeys.map((k) => subkey(k, 'alias-blind-index/v1'))];
  const unpack = (stored: string) => {
    const separator = stored.indexOf(':');
    if (separator < 0) throw new FieldDecryptError('no key version');
    if (stored.slice(0, separator) !== KEY_VERSION) throw new FieldDecryptError('unknown key version');
    const packed = Buffer.from(stored.slice(separator + 1), 'base64');
    if (packed.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptError('too short');
    return { iv: packed.subarray(0, IV_BYTES), tag: packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), body: packed.subarray(IV_BYTES + TAG_BYTES) };
  };

  return {
    encrypt(plain, place) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, encryptionKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadFor(place));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${KEY_VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },

    decrypt(stored, place) {
      const { iv, tag, body } = unpack(stored);
      for (const key of openingKeys) {
        const plain = open(key, iv, tag, body, place);
        if (plain !== null) return plain;
      }
      throw new FieldDecryptError('authentication failed');
    },

    isCurrent(stored, place) {
      const { iv, tag, body } = unpack(stored);
      return open(encryptionKey, iv, tag, body, place) !== null;
    },

    aliasIndex(alias) {
      return createHmac('sha256', indexKey).update(normalizeAlias(alias), 'utf8').digest('hex');
    },

    aliasIndexes(alias) {
      return indexKeys.map((key) => createHmac('sha256', key).update(normalizeAlias(alias), 'utf8').digest('hex'));
    },

    digest(text) {
      return createHmac('sha256', digestKey).update(text, 'utf8').digest('hex');
    },
  };
}
