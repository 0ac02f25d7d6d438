import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { sendJsonError } from '../../http/errors.js';
import { cfpRoutes } from './cfp.routes.js';
import { eventRoutes } from './events.routes.js';
import { registrationContext } from '../../modules/registration/rsvp.queries.js';
import { manageRoutes } from './manage/index.js';
import { meRoutes } from './me/index.js';
import { registrationRoutes } from './registration.routes.js';
import { releaseRoutes } from './releases.routes.js';
import { sessionRoutes } from './sessions.routes.js';
import { speakerRoutes } from './speakers.routes.js';
import { zodRouteSchemas } from './zod-schema.js';

/**
 * The read API under /api/v1 and the OpenAPI document at /api/openapi.json.
 *
 * The read API is public and read-only (plus the token-only scopes /manage and /me): every answer (errors and 304s included) allows any origin without
 * credentials, so schedule apps and static sites can read it from a browser.
 */
export async function apiV1Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rctx = await registrationContext(ctx.db, ctx.config, ctx.clock);
  app.get('/api/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    allowAnyOrigin(reply);
    return app.swagger();
  });

  await app.register(
    async (v1) => {
      zodRouteSchemas(v1);
      v1.addHook('onRequest', async (_request, reply) => {
        allowAnyOrigin(reply);
      });
      // Preflight, for clients that send a header browsers do not allow freely (If-None-Match).
      v1.options('/*', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(204)
          .header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
          .header('Access-Control-Allow-Headers', 'If-None-Match, If-Modified-Since, Accept')
          .header('Access-Control-Max-Age', '86400')
          .send(),
      );
      // The same answer as the site-wide one, given here so that it carries the CORS headers.
      v1.setNotFoundHandler(async (request, reply) =>
        sendJsonError(reply, { error: { code: 'NOT_FOUND', message: `Nothing at ${request.url.split('?')[0]}.`, status: 404, problems: [] } }),
      );
      await eventRoutes(v1, ctx);
      await sessionRoutes(v1, ctx);
      await speakerRoutes(v1, ctx);
      await releaseRoutes(v1, ctx);
      await registrationRoutes(v1, ctx, rctx);
      await cfpRoutes(v1, ctx);
      // The organizer and attendee APIs (personal access tokens only), each in its own scope.
      await manageRoutes(v1, ctx, rctx);
      await meRoutes(v1, ctx, rctx);
    },
    { prefix: '/api/v1' },
  );
}

function allowAnyOrigin(reply: FastifyReply): void {
  reply.header('Access-Control-Allow-Origin', '*');
  reply.header('Access-Control-Expose-Headers', 'ETag, Last-Modified');
  // Helmet's default (same-origin) would stop other sites' no-cors loads of this public data.
  reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
}
