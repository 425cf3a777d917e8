import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isSqliteBusy } from '../../db/client.js';
import { Busy, Conflict, DomainError, Forbidden, InvalidInput, NotFound } from '../domain/errors.js';
import { translator } from '../i18n/index.js';

interface ErrorView {
  status: number;
  titleKey: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

function classify(error: FastifyError | Error): ErrorView {
  if (error instanceof NotFound) return { status: 404, titleKey: 'errors.notFoundTitle', messageKey: 'errors.notFound' };
  if (error instanceof Forbidden) return { status: 403, titleKey: 'errors.forbiddenTitle', messageKey: error.messageKey };
  if (error instanceof Conflict) return { status: 409, titleKey: 'errors.conflictTitle', messageKey: error.messageKey, params: error.params };
  if (error instanceof InvalidInput) return { status: 422, titleKey: 'errors.invalidInputTitle', messageKey: error.messageKey };
  if (error instanceof Busy) return { status: 503, titleKey: 'busy.title', messageKey: error.messageKey };
  if (error instanceof DomainError) return { status: 400, titleKey: 'errors.badRequestTitle', messageKey: error.messageKey };
  // Another connection held the write lock past the busy timeout (a long import commit): the
  // write rolled back whole, so it is a "try again", never a 500.
  if (isSqliteBusy(error)) return { status: 503, titleKey: 'busy.title', messageKey: 'errors.databaseBusy' };
  const code = 'code' in error ? String(error.code) : '';
  const statusCode = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (code.startsWith('FST_CSRF') || code === 'FOREIGN_ORIGIN') return { status: 403, titleKey: 'errors.forbiddenTitle', messageKey: 'errors.csrf' };
  if (statusCode === 413 || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
    return { status: 413, titleKey: 'errors.badRequestTitle', messageKey: 'errors.tooLarge' };
  if (statusCode === 429) return { status: 429, titleKey: 'errors.badRequestTitle', messageKey: 'errors.tooManyRequests' };
  if (statusCode >= 400 && statusCode < 500) return { status: statusCode, titleKey: 'errors.badRequestTitle', messageKey: 'errors.badRequest' };
  return { status: 500, titleKey: 'errors.serverTitle', messageKey: 'errors.server' };
}

const wantsJson = (request: FastifyRequest) =>
  request.url.split('?')[0]!.endsWith('.json') || request.url.split('?')[0]!.endsWith('.csv') || request.url === '/healthz';

async function sendError(request: FastifyRequest, reply: FastifyReply, view: ErrorView): Promise<void> {
  // Hooks may not have run (a body that failed to parse): fall back to the defaults.
  const t = request.t ?? translator(request.locale ?? 'ja');
  const message = t(view.messageKey, view.params);
  reply.code(view.status);
  // Busy (503) is short-lived: tell the client when to try again.
  if (view.status === 503) reply.header('retry-after', '30');
  if (wantsJson(request)) {
    await reply.type('application/json; charset=utf-8').send({ error: message, requestId: request.id });
    return;
  }
  const locals = reply.locals ?? {};
  await reply.type('text/html; charset=utf-8').view('errors/error.eta', {
    t,
    locale: request.locale ?? 'ja',
    actor: request.actor ?? null,
    can: () => false,
    csrf: () => '',
    path: '',
    isDemo: false,
    flash: null,
    heading: (text: string) => text,
    ...locals,
    title: t(view.titleKey),
    message,
    status: view.status,
    requestId: request.id,
  });
}

/** Every failure becomes a translated page (or JSON for .json/.csv routes) with a request id, never a stack. */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const view = classify(error);
      // A full queue (503) is load, not a fault: a warning without a stack.
      if (view.status === 503) request.log.warn({ status: 503 }, error.message);
      else if (view.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: (error as FastifyError).code, status: view.status }, error.message);
      await sendError(request, reply, view);
    });
    app.setNotFoundHandler(async (request, reply) => {
      await sendError(request, reply, { status: 404, titleKey: 'errors.notFoundTitle', messageKey: 'errors.notFound' });
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
