import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software WebAuthn authenticator for tests: builds the bytes a browser would return from
 * navigator.credentials.create() / get(), with a real P-256 (or RSA) key, so the server's checks
 * run on genuine signatures. Tests bend one field at a time to see each rule refuse it.
 */

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export interface Bend {
  type?: string;
  challenge?: string;
  origin?: string;
  rpId?: string;
  counter?: number;
  userPresent?: boolean;
  /** Sign with another key than the registered one. */
  forgeSignature?: boolean;
}

export function softAuthenticator(options: { algorithm?: 'ES256' | 'RS256' } = {}) {
  const algorithm = options.algorithm ?? 'ES256';
  const newPair = () => (algorithm === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const { privateKey, publicKey } = newPair();
  const credentialId = randomBytes(16);
  let counter = 0;

  const coseKey = (key: KeyObject) => {
    const jwk = key.export({ format: 'jwk' });
    const bytes = (v: string | undefined) => new Uint8Array(Buffer.from(v!, 'base64url'));
    if (algorithm === 'ES256')
      return cbor(
        new Map<Cbor, Cbor>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, bytes(jwk.x)],
          [-3, bytes(jwk.y)],
        ]),
      );
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 3],
        [3, -257],
        [-1, bytes(jwk.n)],
        [-2, bytes(jwk.e)],
      ]),
    );
  };
  const clientData = (type: string, challenge: string, origin: string, bend: Bend) =>
    Buffer.from(JSON.stringify({ type: bend.type ?? type, challenge: bend.challenge ?? challenge, origin: bend.origin ?? origin, crossOrigin: false }));
  const authData = (rpId: string, bend: Bend, attested: Buffer | null) => {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(bend.counter ?? counter);
    const flags = (bend.userPresent === false ? 0 : 0x01) | 0x04 | (attested ? 0x40 : 0);
    return Buffer.concat([
      createHash('sha256')
        .update(bend.rpId ?? rpId)
        .digest(),
      Buffer.from([flags]),
      count,
      attested ?? Buffer.alloc(0),
    ]);
  };

  return {
    credentialId: b64url(credentialId),
    /** The answer to a creation challenge (base64url fields, as the page posts them). */
    register(challenge: string, rp: { id: string; origin: string }, bend: Bend = {}) {
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credentialId.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLength, credentialId, coseKey(publicKey)]);
      const attestationObject = cbor(
        new Map<Cbor, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData(rp.id, bend, attested)],
        ]),
      );
      return { clientDataJSON: b64url(clientData('webauthn.create', challenge, rp.origin, bend)), attestationObject: b64url(attestationObject) };
    },
    /** The answer to a sign-in challenge; the counter moves on by one unless bent. */
    assert(challenge: string, rp: { id: string; origin: string }, bend: Bend = {}) {
      if (bend.counter === undefined) counter += 1;
      const client = clientData('webauthn.get', challenge, rp.origin, bend);
      const data = authData(rp.id, bend, null);
      const message = Buffer.concat([data, createHash('sha256').update(client).digest()]);
      const signer = bend.forgeSignature ? newPair().privateKey : privateKey;
      const signature = sign('sha256', message, signer);
      return { credentialId: b64url(credentialId), clientDataJSON: b64url(client), authenticatorData: b64url(data), signature: b64url(signature) };
    },
  };
}
