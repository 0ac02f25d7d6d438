import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../modules/accounts/actor.js';
import { ApiErrors } from '../api.errors.js';
import { errorResponses, noContent } from './schemas.js';

type JsonSchema = Record<string, unknown>;

/** Largest JSON body of the CRUD routes: a session with a 50 000-character abstract fits many times. */
export const JSON_BODY_LIMIT = 1024 * 1024;

export interface ManageRouteSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** Numeric id parameters in the URL (`eventId`, `roomId`…), checked and given to the handler. */
  readonly params?: readonly string[];
  readonly query?: JsonSchema;
  readonly body?: JsonSchema;
  /** 200 / 201 with this response schema, or 204 (no schema). */
  readonly ok: { readonly status: 200 | 201 | 204; readonly schema?: JsonSchema };
  /** Error statuses besides 401 that the route documents. */
  readonly errors: readonly number[];
  readonly bodyLimit?: number;
  readonly handler: (request: FastifyRequest, reply: FastifyReply, ctx: { actor: Actor; ids: Record<string, number> }) => Promise<unknown>;
}

/**
 * Declares one organizer-API route: tag "Organizer", bearer security, its documented responses,
 * the body limit, and id parameters parsed once (a malformed id is REQUEST_INVALID naming it).
 * The handler runs with the authenticated actor; its result is sent with the ok status.
 */
export function manageRoute(app: FastifyInstance, spec: ManageRouteSpec): void {
  const params = spec.params ?? [];
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit ?? JSON_BODY_LIMIT,
    schema: {
      tags: ['Organizer'],
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security: [{ bearerAuth: [] }],
      ...(params.length ? { params: paramsSchema(params) } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      response: {
        [spec.ok.status]: spec.ok.status === 204 ? noContent : spec.ok.schema,
        ...errorResponses([...new Set([401, ...spec.errors])].sort()),
      },
    },
    handler: async (request, reply) => {
      const ids = parseIds(request.params as Record<string, string>, params);
      const result = await spec.handler(request, reply, { actor: request.actor!, ids });
      if (spec.ok.status === 204) return reply.code(204).send();
      return reply.code(spec.ok.status).send(result);
    },
  });
}

function paramsSchema(names: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: [...names],
    properties: Object.fromEntries(names.map((n) => [n, { type: 'string', pattern: '^[1-9][0-9]{0,9}$', description: `Id of the ${n.replace(/Id$/, '')}.` }])),
  };
}

function parseIds(raw: Record<string, string>, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const problems = [];
  for (const n of names) {
    const v = raw[n] ?? '';
    const num = /^[1-9]\d{0,9}$/.test(v) ? Number(v) : NaN;
    if (!(num <= 2_147_483_647)) problems.push({ path: `params.${n}`, message: 'must be a record id (a positive whole number)' });
    else out[n] = num;
  }
  if (problems.length) throw ApiErrors.requestInvalid(problems);
  return out;
}
