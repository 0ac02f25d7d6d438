import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { EventHead } from '../../modules/schedule/snapshot.queries.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Serializes `body` with the route's compiled 200 response schema (fast-json-stringify), so a
 * pre-serialized body is whitelisted exactly as a returned object would be: properties the schema
 * does not list are not written, and a missing required one is an error rather than a gap.
 */
export function serializeOk(reply: FastifyReply, body: { [key: string]: unknown }): string {
  const serialize = reply.getSerializationFunction('200');
  if (!serialize) throw new Error(`route ${reply.request.routeOptions.url} has no 200 response schema`);
  return serialize(body);
}

/**
 * Answers with the JSON body `build` makes for the event at `head`'s version, through the
 * response cache (ETag/304, and the rendered text reused until the event changes).
 */
export function sendEventJson(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  head: EventHead,
  build: () => { [key: string]: unknown } | Promise<{ [key: string]: unknown }>,
): Promise<FastifyReply> {
  return ctx.responses.send(
    request,
    reply,
    { scope: `api-e${head.id}`, version: head.version, contentType: JSON_TYPE, lastModified: head.updatedAt },
    async () => serializeOk(reply, await build()),
  );
}
