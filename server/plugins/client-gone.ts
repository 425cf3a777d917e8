import type { FastifyRequest } from 'fastify';

/** The client closed its connection: nobody is waiting for this answer any more. */
export class ClientGone extends Error {
  readonly statusCode = 400;
  readonly code = 'CLIENT_GONE';
  constructor() {
    super('the client closed the connection before the answer');
  }
}

/**
 * Whether the person who sent this request is still there to read the answer. Checked before a
 * write commits: a phone that lost its connection never finds a record it was never told about.
 */
export function isClientGone(request: FastifyRequest): boolean {
  return (request.raw.socket as { destroyed?: boolean } | null)?.destroyed === true;
}
