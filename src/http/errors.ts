import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type Problem } from '../lib/domain-error.js';

/** The one JSON error shape every API error uses. */
export interface ErrorBody {
  error: { code: string; message: string; status: number; problems: Problem[] };
}

export function errorBody(status: number, code: string, message: string, problems: readonly Problem[] = []): ErrorBody {
  return { error: { code, message, status, problems: [...problems] } };
}

/** Maps anything thrown in a handler to status + error body; unknown errors become a logged 500. */
export function toErrorBody(err: unknown, request: FastifyRequest): ErrorBody {
  if (err instanceof DomainError) return errorBody(err.status, err.code, err.message, err.problems);
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return errorBody(fe.statusCode, fe.code ?? 'REQUEST_INVALID', fe.message);
  }
  request.log.error({ err }, 'unhandled error');
  return errorBody(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
}

export function sendJsonError(reply: FastifyReply, body: ErrorBody): FastifyReply {
  return reply.code(body.error.status).type('application/json; charset=utf-8').send(body);
}
