import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { deviceFamily, ipPrefix } from '../../server/domain/session-device.js';
import { matchTotpStep, normalizeCode, totpQrSvg, totpUri } from '../../server/domain/totp.js';

// RFC 6238 appendix B: the SHA-1 seed; at T = 59 s the 8-digit code is 94287082, so 6 digits give 287082.
const RFC_KEY = new TextEncoder().encode('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vector, with one step of drift allowed and no more', () => {
    expect(matchTotpStep(RFC_KEY, '287082', new Date(59_000), null)).toBe(1);
    expect(matchTotpStep(RFC_KEY, '287082', new Date(89_000), null)).toBe(1); // one step late
    expect(matchTotpStep(RFC_KEY, '287082', new Date(119_000), null)).toBeNull(); // two steps late
  });

  it('refuses a code whose step was already used (replay)', () => {
    expect(matchTotpStep(RFC_KEY, '287082', new Date(59_000), 1)).toBeNull();
    expect(matchTotpStep(RFC_KEY, '287082', new Date(59_000), 0)).toBe(1);
  });

  it('reads codes typed with spaces or full-width digits', () => {
    expect(normalizeCode('２８７ ０８２')).toBe('287082');
    expect(normalizeCode('ABCD-EFGH')).toBe('abcdefgh');
  });

  it('makes an otpauth URI and an inline, labelled SVG QR code', () => {
    const uri = totpUri('a@example.org', RFC_KEY);
    expect(uri).toMatch(/^otpauth:\/\/totp\/.+secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ/);
    const svg = totpQrSvg(uri, 'QR "code"');
    expect(svg.startsWith('<svg role="img" aria-label="QR &#34;code&#34;"')).toBe(true);
    expect(svg).not.toContain('secret=');
  });
});

describe('what the account page says about a session', () => {
  it('names the browser family, never the whole User-Agent', () => {
    expect(deviceFamily('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36')).toBe(
      'Chrome / Android',
    );
    expect(
      deviceFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    ).toBe('Safari / iOS');
    expect(deviceFamily('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0')).toBe('Edge / Windows');
    expect(deviceFamily(undefined)).toBe('unknown');
  });

  it('keeps only the /24 of an IPv4 address and the /48 of an IPv6 one', () => {
    expect(ipPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefix('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(ipPrefix('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(ipPrefix('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(ipPrefix('not an address')).toBe('unknown');
  });
});

describe('REQUIRE_SECOND_FACTOR', () => {
  const base = { DATA_KEY: Buffer.alloc(32, 7).toString('base64'), DATA_DIR: '/tmp/never-written', LOG_LEVEL: 'silent' };
  it('is on in production, off in development and in the demo, and can be set either way', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).requireSecondFactor).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production', DEMO: '1' }).requireSecondFactor).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).requireSecondFactor).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', REQUIRE_SECOND_FACTOR: '0' }).requireSecondFactor).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'test', REQUIRE_SECOND_FACTOR: '1' }).requireSecondFactor).toBe(true);
    expect(() => loadConfig({ ...base, REQUIRE_SECOND_FACTOR: 'yes' })).toThrow(/REQUIRE_SECOND_FACTOR/);
  });
});
