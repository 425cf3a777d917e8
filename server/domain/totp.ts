import { randomBytes } from 'node:crypto';
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { renderSVG } from 'uqr';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 30-second steps, 6 digits. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = 'Kinkyu Shien';

/** 160 random bits, the size RFC 4226 recommends for the shared secret. */
export function generateTotpKey(): Uint8Array {
  return new Uint8Array(randomBytes(20));
}

export const totpKeyToBase32 = (key: Uint8Array) => encodeBase32NoPadding(key);
export const totpKeyFromBase32 = (text: string) => decodeBase32IgnorePadding(text);

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for a step (the app's clock, not Date.now(), so tests and the server agree). */
export function totpCodeAt(key: Uint8Array, step: number): string {
  return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/**
 * The step a code belongs to, one step of drift either way allowed, or null. Steps at or
 * before `lastUsedStep` are refused so an observed code cannot be replayed.
 */
export function matchTotpStep(key: Uint8Array, code: string, now: Date, lastUsedStep: number | null): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const current = totpStep(now);
  for (const step of [current - 1, current, current + 1]) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

export function totpUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The QR code as inline SVG (no request leaves the page); labelled for screen readers. */
export function totpQrSvg(uri: string, label: string): string {
  const svg = renderSVG(uri, { border: 2 });
  const safeLabel = label.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return svg.replace('<svg ', `<svg role="img" aria-label="${safeLabel}" class="totp-qr" `);
}

/** Codes may be typed with spaces ("123 456") or full-width digits on a Japanese keyboard. */
export function normalizeCode(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s-]/g, '').toLowerCase();
}
