import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { memberPages } from './members.js';
import { seriesPages } from './series.js';

/** The meetup-group pages of the back office (issue 5): event series and the member list. */
export async function groupBackofficePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await seriesPages(app, ctx);
  await memberPages(app, ctx);
}
