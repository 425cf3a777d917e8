import type { FastifyRequest } from 'fastify';

/**
 * A request as a log line shows it: the path and the names of its query parameters, never their
 * values. A search term can be a person's alias (SPEC §8), and a log line outlives the request.
 * A share link's token opens the public summary for anyone who holds it: only that one was opened is kept.
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at === -1 ? url : url.slice(0, at)).replace(/^\/share\/[^/?#]+/, '/share/[redacted]');
  if (at === -1) return path;
  const names = [...new Set([...new URLSearchParams(url.slice(at + 1)).keys()])];
  return names.length === 0 ? path : `${path}?${names.map((n) => `${encodeURIComponent(n)}=…`).join('&')}`;
}

export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: loggableUrl(String(request.url ?? '')),
    remoteAddress: request.ip,
  };
}
