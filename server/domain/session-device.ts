/**
 * What the account page may say about a session: a browser and system family and the network
 * an address belongs to. The full User-Agent and address are never stored (data minimisation).
 */

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

const firstMatch = (ua: string, table: [RegExp, string][]) => table.find(([pattern]) => pattern.test(ua))?.[1] ?? null;

/** "Firefox on Android", "Safari on iOS" … or "unknown" when nothing is recognised. */
export function deviceFamily(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512);
  const browser = firstMatch(ua, BROWSERS);
  const system = firstMatch(ua, SYSTEMS);
  if (browser && system) return `${browser} / ${system}`;
  return browser ?? system ?? 'unknown';
}

/** IPv4 → its /24, IPv6 → its /48; anything else → "unknown". */
export function ipPrefix(ip: string | undefined): string {
  const address = (ip ?? '').replace(/^::ffff:(?=\d+\.)/i, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (address.includes(':') && /^[0-9a-f:]+$/i.test(address)) {
    const [head = '', tail = ''] = address.split('::');
    const headGroups = head === '' ? [] : head.split(':');
    const tailGroups = tail === '' ? [] : tail.split(':');
    const groups = address.includes('::')
      ? [...headGroups, ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups]
      : headGroups;
    const first = groups.slice(0, 3).map((g) => (g === '' ? '0' : g.replace(/^0+(?=.)/, '').toLowerCase()));
    return `${first.join(':')}::/48`;
  }
  return 'unknown';
}
