import { describe, expect, it } from 'vitest';
import { createFieldCipher, FieldDecryptError, normalizeAlias } from '../../server/domain/field-crypto.js';

const key = Buffer.alloc(32, 9);
const cipher = createFieldCipher(key);
const here = { table: 'cases', column: 'alias_enc', rowId: 42 };

function tamper(stored: string, index: number): string {
  const packed = Buffer.from(stored.slice(3), 'base64');
  packed[index] = packed[index]! ^ 0x01;
  return `v1:${packed.toString('base64')}`;
}

describe('field encryption', () => {
  it('round-trips with a version prefix, a fresh IV each time, and no clear text', () => {
    const a = cipher.encrypt('Hana 花子', here);
    const b = cipher.encrypt('Hana 花子', here);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(3), 'base64').length).toBe(12 + 16 + Buffer.byteLength('Hana 花子'));
    expect(a).not.toContain('Hana');
    expect(cipher.decrypt(a, here)).toBe('Hana 花子');
    expect(cipher.decrypt(b, here)).toBe('Hana 花子');
  });

  it('refuses a value moved to another row, column or table', () => {
    const stored = cipher.encrypt('secret', here);
    expect(() => cipher.decrypt(stored, { ...here, rowId: 43 })).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(stored, { ...here, column: 'contact_enc' })).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(stored, { ...here, table: 'users' })).toThrow(FieldDecryptError);
  });

  it('refuses a tampered tag, IV or body, a truncated tag, an unknown version and another key', () => {
    const stored = cipher.encrypt('secret', here);
    expect(() => cipher.decrypt(tamper(stored, 12), here)).toThrow(FieldDecryptError); // first tag byte
    expect(() => cipher.decrypt(tamper(stored, 27), here)).toThrow(FieldDecryptError); // last tag byte
    expect(() => cipher.decrypt(tamper(stored, 0), here)).toThrow(FieldDecryptError); // IV
    expect(() => cipher.decrypt(tamper(stored, 28), here)).toThrow(FieldDecryptError); // ciphertext
    const packed = Buffer.from(stored.slice(3), 'base64');
    // Only a 4-byte tag left (GCM alone would accept short tags): the 16-byte tag is required.
    const long = Buffer.from(cipher.encrypt('a much longer secret value than the tag', here).slice(3), 'base64');
    const shortTag = Buffer.concat([long.subarray(0, 16), long.subarray(28)]);
    expect(() => cipher.decrypt(`v1:${shortTag.toString('base64')}`, here)).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(`v1:${packed.subarray(0, 20).toString('base64')}`, here)).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(`v2:${stored.slice(3)}`, here)).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt(stored.slice(3), here)).toThrow(FieldDecryptError);
    expect(() => createFieldCipher(Buffer.alloc(32, 1)).decrypt(stored, here)).toThrow(FieldDecryptError);
  });

  it('does not use the raw key directly for encryption', async () => {
    const { createCipheriv } = await import('node:crypto');
    const stored = cipher.encrypt('secret', here);
    const packed = Buffer.from(stored.slice(3), 'base64');
    const raw = createCipheriv('aes-256-gcm', key, packed.subarray(0, 12));
    raw.setAAD(Buffer.from('cases.alias_enc#42'));
    const withRawKey = Buffer.concat([raw.update('secret', 'utf8'), raw.final()]);
    expect(withRawKey.equals(packed.subarray(28))).toBe(false);
  });

  it('indexes aliases by a keyed HMAC of the normalized alias', () => {
    expect(normalizeAlias('  ＨＡＮＡ ')).toBe('hana');
    expect(cipher.aliasIndex('Hana')).toBe(cipher.aliasIndex(' ｈａｎａ '));
    expect(cipher.aliasIndex('Hana')).not.toBe(cipher.aliasIndex('Hanako'));
    expect(cipher.aliasIndex('Hana')).toMatch(/^[0-9a-f]{64}$/);
    expect(createFieldCipher(Buffer.alloc(32, 1)).aliasIndex('Hana')).not.toBe(cipher.aliasIndex('Hana'));
    // the index key differs from the digest key: the same text gives unrelated values
    expect(cipher.digest('hana')).not.toBe(cipher.aliasIndex('hana'));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createFieldCipher(Buffer.alloc(16))).toThrow();
  });
});
