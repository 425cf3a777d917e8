import { z } from 'zod';

// What the page's script puts in the hidden fields: base64url, as WebAuthn hands it over.
const encoded = z.string({ error: 'passkeys.failed' }).regex(/^[A-Za-z0-9_-]{1,16000}$/, { error: 'passkeys.failed' });

export const passkeyRegisterForm = z.object({
  name: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(60, { error: 'validation.tooLong' }),
  clientDataJSON: encoded,
  attestationObject: encoded,
});

export const passkeySignInForm = z.object({
  credentialId: encoded,
  clientDataJSON: encoded,
  authenticatorData: encoded,
  signature: encoded,
});
