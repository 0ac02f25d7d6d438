import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../modules/accounts/actor.js';
import { ErrorSchema, idParam, textParam } from './schemas.js';
import { jsonSchema, type JsonSchema } from './zod-schema.js';

/** Largest JSON body of the CRUD routes: a session with a 50 000-character abstract fits many times. */
export const JSON_BODY_LIMIT = 1024 * 1024;

export interface TokenRouteSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** Numeric id parameters in the URL (`eventId`, `roomId`…), checked and given to the handler. */
  readonly params?: readonly string[];
  /** Text parameters in the URL (`slug`, `code`), checked; the handler reads request.params. */
  readonly textParams?: readonly string[];
  /** The query string and body, documented by the schemas the actions parse them with. */
  readonly query?: z.ZodType;
  readonly body?: z.ZodType | JsonSchema;
  /** 200 / 201 with this response schema, or 204 (no schema). */
  readonly ok: { readonly status: 200 | 201 | 204; readonly schema?: z.ZodType };
  /** Error statuses besides 401 that the route documents. */
  readonly errors: readonly number[];
  /** A route's own schema for an error status, when its body carries more than the one error shape. */
  readonly errorSchemas?: Readonly<Record<number, z.ZodType>>;
  readonly bodyLimit?: number;
  readonly handler: (request: FastifyRequest, reply: FastifyReply, ctx: { actor: Actor; ids: Record<string, number> }) => Promise<unknown>;
}

/**
 * Declares one route of a token scope (see tokenScope) under the OpenAPI `tag`: bearer security,
 * its documented responses, the body limit, and URL parameters parsed once (a malformed id is
 * VALIDATION_FAILED naming it). The handler runs with the authenticated actor; its result is sent
 * with the ok status.
 */
export function tokenRoute(app: FastifyInstance, tag: string, spec: TokenRouteSpec): void {
  const params = spec.params ?? [];
  const textParams = spec.textParams ?? [];
  // A bad URL parameter is 422; 400 (a body that is not JSON, SCHEDULE_*, TICKET_INVALID) needs a body.
  const badParams = params.length || textParams.length ? [422] : [];
  const statuses = [...new Set([401, ...spec.errors.filter((s) => s !== 400 || spec.body), ...badParams])].sort();
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit ?? JSON_BODY_LIMIT,
    schema: {
      tags: [tag],
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security: [{ bearerAuth: [] }],
      ...(params.length || textParams.length ? { params: paramsSchema(params, textParams) } : {}),
      // Documentation only: a JSON Schema is not parsed by the route (the action parses).
      ...(spec.query ? { querystring: jsonSchema(spec.query, 'input') } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      response: {
        [spec.ok.status]: spec.ok.status === 204 ? noContent : spec.ok.schema,
        ...errorResponses(statuses),
        ...Object.fromEntries(Object.entries(spec.errorSchemas ?? {})),
      },
    },
    handler: async (request, reply) => {
      const ids = request.params as Record<string, number>;
      const result = await spec.handler(request, reply, { actor: request.actor!, ids });
      // A handler that answered itself (an error body with more than the one shape).
      if (reply.sent) return reply;
      if (spec.ok.status === 204) return reply.code(204).send();
      return reply.code(spec.ok.status).send(result);
    },
  });
}

const paramsSchema = (ids: readonly string[], texts: readonly string[]) =>
  z.object(
    Object.fromEntries([
      ...ids.map((n) => [n, idParam(`Id of the ${n.replace(/Id$/, '')}.`)]),
      ...texts.map((n) => [n, textParam(n === 'slug' ? 'Slug (address) of the event or community.' : `The ${n}.`)]),
    ]),
  );

const described: Record<number, z.ZodType> = {};

/** The error responses a route can give, each in the one error shape. */
export function errorResponses(statuses: readonly number[]): Record<string, z.ZodType> {
  const text: Record<number, string> = {
    400: 'A body that is not JSON (REQUEST_INVALID), a schedule that cannot be read (SCHEDULE_*), or an unreadable or forged ticket (TICKET_INVALID).',
    401: 'No valid personal access token (UNAUTHENTICATED); see WWW-Authenticate.',
    403: 'The token’s owner may not do this (FORBIDDEN), or has not confirmed their e-mail address (EMAIL_NOT_VERIFIED), or reviews a proposal they speak in (REVIEW_OWN_PROPOSAL).',
    404: 'No such event or record (NOT_FOUND, EVENT_NOT_FOUND, RSVP_NOT_FOUND, TICKET_NOT_FOUND, CFP_NOT_FOUND, PROPOSAL_NOT_FOUND, RELEASE_NOT_FOUND).',
    409: 'A conflict with what is stored (SLUG_TAKEN, NAME_TAKEN, SESSION_ROOM_CONFLICT, SPEAKER_DOUBLE_BOOKED, SCHEDULE_VERSION_STALE, SESSION_NOT_PLACED, SESSION_ALREADY_PLACED, RELEASE_NOTHING_CHANGED, RELEASE_NAME_TAKEN, RELEASE_MAILS_NOT_HELD, ROOM_IN_USE, SPEAKER_HAS_SESSIONS, *_TRANSITION_INVALID, EVENT_SESSIONS_OUTSIDE_DATES; for registration EVENT_PAST, EVENT_CANCELLED, RSVP_CLOSED, RSVP_NO_SEATS, RSVP_CAPACITY_BELOW_CONFIRMED, TICKET_*, RSVP_REQUIRED, SIGNUP_*; for the call for proposals CFP_CLOSED, PROPOSAL_NOT_EDITABLE, PROPOSAL_TRANSITION_INVALID, PROPOSAL_NOT_ACCEPTED, PROPOSAL_SCHEDULED).',
    413: 'The body is larger than allowed (REQUEST_TOO_LARGE; SCHEDULE_TOO_LARGE for imports, MAX_IMPORT_BYTES).',
    415: 'The Content-Type is not accepted here (UNSUPPORTED_MEDIA_TYPE).',
    422: 'A parameter, query string or field failed validation (VALIDATION_FAILED, SESSION_OUTSIDE_DATES, RSVP_GUESTS_ABOVE_LIMIT; SCHEDULE_INVALID and similar for imports); `problems` names each.',
    502: 'The schedule URL could not be downloaded (SCHEDULE_FETCH_FAILED).',
    504: 'The schedule download took too long (SCHEDULE_FETCH_TIMEOUT).',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), (described[s] ??= ErrorSchema.describe(text[s]!))]));
}

export const noContent = { type: 'null', description: 'Done; no body.' } as const;
