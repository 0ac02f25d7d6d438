import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { errorBody, sendJsonError, toErrorBody, type ErrorBody } from '../../http/errors.js';
import { ImportErrors } from '../../modules/schedule/import.errors.js';
import { findActorByApiToken } from '../../modules/accounts/api-token.actions.js';

/**
 * Makes `scope` a personal-access-token scope, shared by the organizer API (/api/v1/manage) and
 * the attendee API (/api/v1/me): every request needs `Authorization: Bearer hw_…` and acts as its
 * owner; cookies are never read, so a browser's session cannot be used by another site to write
 * (no CSRF exposure) and answers never depend on cookies. That is also why any origin may call it
 * (CORS `*`, without credentials): a token must be given explicitly.
 *
 * Bodies are JSON only (no form posts a cross-site form could send) and are parsed by the
 * actions' zod schemas (VALIDATION_FAILED naming each field, as the web forms do), which the
 * routes also publish (see zodRouteSchemas). Errors use the one JSON error shape.
 */
export function tokenScope(scope: FastifyInstance, ctx: AppContext): void {
  scope.removeAllContentTypeParsers();
  const json = scope.getDefaultJsonParser('error', 'error');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    json(request, body as string, done);
  });

  scope.addHook('onRequest', async (request, reply) => {
    reply.header('Access-Control-Expose-Headers', 'Location, WWW-Authenticate, ETag');
    reply.header('Cache-Control', 'no-store');
    if (request.method === 'OPTIONS') return;
    return authenticateBearer(ctx, request, reply);
  });
  // Preflight: a browser asks before sending Authorization, a JSON or XML body, PATCH, PUT or DELETE.
  scope.options('/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .code(204)
      .header('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept')
      .header('Access-Control-Max-Age', '86400')
      .send(),
  );
  scope.setErrorHandler(async (err, request, reply) => sendJsonError(reply, tokenErrorBody(err, request)));
}

/**
 * onRequest: the actor behind the bearer token, or 401 UNAUTHENTICATED with WWW-Authenticate
 * (RFC 6750) before any body is read.
 */
async function authenticateBearer(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const header = request.headers.authorization;
  const token = header ? /^Bearer[ ]+(\S+)[ ]*$/i.exec(header)?.[1] : undefined;
  const actor = token ? await findActorByApiToken(ctx.db, token, ctx.clock) : null;
  if (actor) {
    request.actor = actor;
    return undefined;
  }
  request.actor = null;
  reply.header('WWW-Authenticate', header ? 'Bearer realm="hallway", error="invalid_token"' : 'Bearer realm="hallway"');
  return sendJsonError(
    reply,
    errorBody(
      401,
      'UNAUTHENTICATED',
      header
        ? 'The access token is malformed, unknown or revoked.'
        : 'Send a personal access token as "Authorization: Bearer <token>" (create one under Account → API tokens); cookies are not accepted here.',
    ),
  );
}

/** Fastify's own request errors under stable codes; everything else as everywhere (toErrorBody). */
function tokenErrorBody(err: unknown, request: FastifyRequest): ErrorBody {
  const code = (err as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit ?? 0;
    if (request.routeOptions.url?.endsWith('/import')) {
      return toErrorBody(ImportErrors.tooLarge(limit, 'The schedule'), request);
    }
    return errorBody(413, 'REQUEST_TOO_LARGE', `The body is larger than ${limit} bytes.`);
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const type = String(request.headers['content-type'] ?? '(none)').slice(0, 100);
    return errorBody(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `The Content-Type ${type} is not accepted here; send application/json${request.url.includes('/import') ? ', application/xml or text/xml' : ''}.`,
    );
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return errorBody(400, 'REQUEST_INVALID', 'The body is not valid JSON.', [{ path: 'body', message: (err as Error).message }]);
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return errorBody(400, 'REQUEST_INVALID', 'The body is empty.', [{ path: 'body', message: 'is required' }]);
  return toErrorBody(err, request);
}
