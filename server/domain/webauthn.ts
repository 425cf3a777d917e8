import { timingSafeEqual } from 'node:crypto';
import { decodePKIXECDSASignature, decodeSEC1PublicKey, ECDSAPublicKey, p256, verifyECDSASignature } from '@oslojs/crypto/ecdsa';
import { decodePKCS1RSAPublicKey, RSAPublicKey, sha256ObjectIdentifier, verifyRSASSAPKCS1v15Signature } from '@oslojs/crypto/rsa';
import { sha256 } from '@oslojs/crypto/sha2';
import {
  ClientDataType,
  COSEKeyType,
  coseAlgorithmES256,
  coseAlgorithmRS256,
  coseEllipticCurveP256,
  createAssertionSignatureMessage,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
  type ClientData,
} from '@oslojs/webauthn';

/**
 * The WebAuthn ceremony rules, pure (no database): what a browser's answer must hold before a
 * passkey is registered or accepted. Attestation is not asked for ('none'): a second factor needs
 * to know that the same key answers again, not who made the authenticator.
 */

export interface RelyingParty {
  /** Host name the credentials are bound to (from PUBLIC_ORIGIN). */
  id: string;
  /** Exact origin the browser must report. */
  origin: string;
}

export const relyingPartyFor = (publicOrigin: string): RelyingParty => ({ id: new URL(publicOrigin).hostname, origin: publicOrigin });

export type RejectReason = 'malformed' | 'type' | 'challenge' | 'origin' | 'rp' | 'presence' | 'algorithm' | 'signature' | 'counter' | 'unknown_credential';

export class WebAuthnRejected extends Error {
  constructor(readonly reason: RejectReason) {
    super(`WebAuthn response rejected: ${reason}`);
    this.name = 'WebAuthnRejected';
  }
}

/** The stored form of a public key: SEC1 uncompressed for ES256, PKCS#1 for RS256. */
export interface StoredKey {
  algorithm: typeof coseAlgorithmES256 | typeof coseAlgorithmRS256;
  publicKey: Uint8Array;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);

function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch {
    throw new WebAuthnRejected('malformed');
  }
}

/** Which challenge the browser answered (to find it server-side before the full check). */
export function answeredChallenge(clientDataJSON: Uint8Array): Uint8Array {
  return parsed(() => parseClientDataJSON(clientDataJSON)).challenge;
}

function checkClientData(clientData: ClientData, type: ClientDataType, challenge: Uint8Array, rp: RelyingParty): void {
  if (clientData.type !== type) throw new WebAuthnRejected('type');
  if (!sameBytes(clientData.challenge, challenge)) throw new WebAuthnRejected('challenge');
  if (clientData.origin !== rp.origin || clientData.crossOrigin === true) throw new WebAuthnRejected('origin');
}

export interface NewCredential extends StoredKey {
  credentialId: Uint8Array;
  signCount: number;
}

/** navigator.credentials.create(): the answer must be to our challenge, from our origin, for our RP. */
export function verifyRegistration(
  response: { clientDataJSON: Uint8Array; attestationObject: Uint8Array },
  expected: { challenge: Uint8Array; rp: RelyingParty },
): NewCredential {
  checkClientData(
    parsed(() => parseClientDataJSON(response.clientDataJSON)),
    ClientDataType.Create,
    expected.challenge,
    expected.rp,
  );
  const { authenticatorData } = parsed(() => parseAttestationObject(response.attestationObject));
  if (!authenticatorData.verifyRelyingPartyIdHash(expected.rp.id)) throw new WebAuthnRejected('rp');
  if (!authenticatorData.userPresent) throw new WebAuthnRejected('presence');
  const credential = authenticatorData.credential;
  if (credential === null) throw new WebAuthnRejected('malformed');
  const key = credential.publicKey;
  const algorithm = parsed(() => (key.isAlgorithmDefined() ? key.algorithm() : null));
  let stored: StoredKey;
  if (algorithm === coseAlgorithmES256 && key.type() === COSEKeyType.EC2) {
    const ec = parsed(() => key.ec2());
    if (ec.curve !== coseEllipticCurveP256) throw new WebAuthnRejected('algorithm');
    stored = { algorithm, publicKey: new ECDSAPublicKey(p256, ec.x, ec.y).encodeSEC1Uncompressed() };
  } else if (algorithm === coseAlgorithmRS256 && key.type() === COSEKeyType.RSA) {
    const rsa = parsed(() => key.rsa());
    stored = { algorithm, publicKey: new RSAPublicKey(rsa.n, rsa.e).encodePKCS1() };
  } else {
    throw new WebAuthnRejected('algorithm');
  }
  return { ...stored, credentialId: credential.id, signCount: authenticatorData.signatureCounter };
}

function signatureHolds(key: StoredKey, message: Uint8Array, signature: Uint8Array): boolean {
  const hash = sha256(message);
  try {
    if (key.algorithm === coseAlgorithmES256) return verifyECDSASignature(decodeSEC1PublicKey(p256, key.publicKey), hash, decodePKIXECDSASignature(signature));
    return verifyRSASSAPKCS1v15Signature(decodePKCS1RSAPublicKey(key.publicKey), sha256ObjectIdentifier, hash, signature);
  } catch {
    return false;
  }
}

/**
 * navigator.credentials.get(): our challenge, origin and RP, a user present, a signature by the
 * stored key, and a counter that moved on (a counter at or below the last one seen means a cloned
 * authenticator; authenticators that keep no counter send 0 every time). Returns the new counter.
 */
export function verifyAssertion(
  response: { clientDataJSON: Uint8Array; authenticatorData: Uint8Array; signature: Uint8Array },
  expected: { challenge: Uint8Array; rp: RelyingParty; key: StoredKey; signCount: number },
): number {
  checkClientData(
    parsed(() => parseClientDataJSON(response.clientDataJSON)),
    ClientDataType.Get,
    expected.challenge,
    expected.rp,
  );
  const authenticatorData = parsed(() => parseAuthenticatorData(response.authenticatorData));
  if (!authenticatorData.verifyRelyingPartyIdHash(expected.rp.id)) throw new WebAuthnRejected('rp');
  if (!authenticatorData.userPresent) throw new WebAuthnRejected('presence');
  const message = createAssertionSignatureMessage(response.authenticatorData, response.clientDataJSON);
  if (!signatureHolds(expected.key, message, response.signature)) throw new WebAuthnRejected('signature');
  const counter = authenticatorData.signatureCounter;
  if ((counter !== 0 || expected.signCount !== 0) && counter <= expected.signCount) throw new WebAuthnRejected('counter');
  return counter;
}
