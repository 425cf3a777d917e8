import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { relyingPartyFor, verifyAssertion, verifyRegistration, WebAuthnRejected, type StoredKey } from '../../server/domain/webauthn.js';
import { softAuthenticator, type Bend } from '../helpers/soft-authenticator.js';

const rp = relyingPartyFor('https://aid.example.org');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const newChallenge = () => new Uint8Array(randomBytes(32));
const text = (c: Uint8Array) => Buffer.from(c).toString('base64url');

function registered(algorithm: 'ES256' | 'RS256' = 'ES256') {
  const authenticator = softAuthenticator({ algorithm });
  const challenge = newChallenge();
  const answer = authenticator.register(text(challenge), rp);
  const credential = verifyRegistration(
    { clientDataJSON: bytes(answer.clientDataJSON), attestationObject: bytes(answer.attestationObject) },
    { challenge, rp },
  );
  const key: StoredKey = { algorithm: credential.algorithm, publicKey: credential.publicKey };
  return { authenticator, credential, key };
}

function assertWith(setup: ReturnType<typeof registered>, bend: Bend = {}, signCount = 0) {
  const challenge = newChallenge();
  const answer = setup.authenticator.assert(text(challenge), rp, bend);
  return () =>
    verifyAssertion(
      { clientDataJSON: bytes(answer.clientDataJSON), authenticatorData: bytes(answer.authenticatorData), signature: bytes(answer.signature) },
      { challenge, rp, key: setup.key, signCount },
    );
}

const rejection = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof WebAuthnRejected) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('WebAuthn registration', () => {
  it('keeps an ES256 key and an RS256 key with the credential id and counter', () => {
    const es = registered('ES256');
    expect(es.credential.algorithm).toBe(-7);
    expect(Buffer.from(es.credential.credentialId).toString('base64url')).toBe(es.authenticator.credentialId);
    expect(es.credential.publicKey[0]).toBe(0x04);
    expect(registered('RS256').credential.algorithm).toBe(-257);
  });

  it.each<[string, Bend, string]>([
    ['another challenge', { challenge: text(newChallenge()) }, 'challenge'],
    ['another origin', { origin: 'https://evil.example.net' }, 'origin'],
    ['another relying party', { rpId: 'evil.example.net' }, 'rp'],
    ['a sign-in answer', { type: 'webauthn.get' }, 'type'],
    ['no user present', { userPresent: false }, 'presence'],
  ])('refuses %s', (_label, bend, reason) => {
    const challenge = newChallenge();
    const answer = softAuthenticator().register(text(challenge), rp, bend);
    expect(
      rejection(() =>
        verifyRegistration({ clientDataJSON: bytes(answer.clientDataJSON), attestationObject: bytes(answer.attestationObject) }, { challenge, rp }),
      ),
    ).toBe(reason);
  });

  it('refuses bytes that are not an attestation', () => {
    const challenge = newChallenge();
    const answer = softAuthenticator().register(text(challenge), rp);
    expect(
      rejection(() => verifyRegistration({ clientDataJSON: bytes(answer.clientDataJSON), attestationObject: new Uint8Array([1, 2, 3]) }, { challenge, rp })),
    ).toBe('malformed');
    expect(
      rejection(() => verifyRegistration({ clientDataJSON: new Uint8Array([123]), attestationObject: bytes(answer.attestationObject) }, { challenge, rp })),
    ).toBe('malformed');
  });
});

describe('WebAuthn sign-in', () => {
  it('accepts a genuine ES256 and RS256 signature and returns the new counter', () => {
    expect(assertWith(registered('ES256'))()).toBe(1);
    expect(assertWith(registered('RS256'))()).toBe(1);
  });

  it.each<[string, Bend, string]>([
    ['another challenge', { challenge: text(newChallenge()) }, 'challenge'],
    ['another origin', { origin: 'http://aid.example.org' }, 'origin'],
    ['another relying party', { rpId: 'example.org' }, 'rp'],
    ['a registration answer', { type: 'webauthn.create' }, 'type'],
    ['no user present', { userPresent: false }, 'presence'],
    ['a signature by another key', { forgeSignature: true }, 'signature'],
  ])('refuses %s', (_label, bend, reason) => {
    expect(rejection(assertWith(registered(), bend))).toBe(reason);
  });

  it('refuses a counter that does not move on (a cloned authenticator, or a replay)', () => {
    const setup = registered();
    expect(rejection(assertWith(setup, { counter: 5 }, 5))).toBe('counter');
    expect(rejection(assertWith(setup, { counter: 4 }, 5))).toBe('counter');
    expect(assertWith(setup, { counter: 6 }, 5)()).toBe(6);
    // An authenticator that keeps no counter sends 0 every time, and that is allowed.
    expect(assertWith(setup, { counter: 0 }, 0)()).toBe(0);
  });
});
