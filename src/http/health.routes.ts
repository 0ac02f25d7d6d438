import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../db/database.js';
import type { AppContext } from './context.js';

/** Liveness (/healthz: the process answers) and readiness (/readyz: the database answers). */
export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await pingDatabase(ctx.db);
      return { status: 'ready', database: 'ok' };
    } catch (err) {
      reply.code(503);
      return { status: 'unavailable', database: err instanceof Error ? err.message : 'unreachable' };
    }
  });
}
