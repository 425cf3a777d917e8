import type { FastifyRequest } from 'fastify';

/**
 * Secrets that travel in a path: a share link's token opens the public summary for anyone who
 * holds it, so the request log keeps only that a share link was opened.
 */
export function redactUrl(url: string): string {
  return url.replace(/^\/share\/[^/?#]+/, '/share/[redacted]');
}

/** Fastify's default request fields, with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
