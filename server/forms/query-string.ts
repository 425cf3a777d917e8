import qs from 'qs';

/**
 * Every query string, parsed one way: `org[]=3`, `org[x]=3` and `org=1&org=2` all arrive as an
 * array or object under `org`, so a schema expecting one string refuses them (400) instead of the
 * request silently running without the filter (the default parser files `org[]` under its own
 * name, which no schema reads). No parameter limit: Node's 16 KB header limit bounds the work, and
 * a limit would silently drop what lies beyond it.
 */
export function parseQueryString(text: string): Record<string, unknown> {
  return qs.parse(text, { depth: 2, arrayLimit: 50, parameterLimit: Infinity, allowPrototypes: false, allowDots: false, charset: 'utf-8' });
}
