import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';

/** The read API under /api/v1 and the OpenAPI document at /api/openapi.json. */
export async function apiV1Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  void ctx;
  app.get('/api/v1/events', async () => ({ data: [] }));
}
