import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { EventHead } from '../../modules/schedule/snapshot.queries.js';
import type { ProgramSnapshot } from '../../modules/schedule/snapshot.js';
import { latestReleaseNumber } from '../../modules/live/live.queries.js';
import { paths } from '../components/html.js';
import type { LiveMark } from '../layouts/page.js';

/** A published event's head and snapshot, or EVENT_NOT_FOUND (unpublished events included). */
export async function loadPublishedEvent(ctx: AppContext, slug: string): Promise<{ head: EventHead; snap: ProgramSnapshot }> {
  const head = await ctx.snapshots.publishedHead(slug);
  const snap = await ctx.snapshots.snapshot(head);
  return { head, snap };
}

/**
 * Sends an event-scoped HTML page through the response cache: ETag/304, and the rendered page
 * reused until the event's version changes. `variant` joins the scope when the page also depends
 * on something other than the URL and version (today's date picks the default schedule day).
 */
export function sendEventHtml(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  head: EventHead,
  render: () => string | Promise<string>,
  variant = '',
): Promise<FastifyReply> {
  return ctx.responses.send(
    request,
    reply,
    { scope: `e${head.id}${variant ? `-${variant}` : ''}`, version: head.version, contentType: 'text/html; charset=utf-8', lastModified: head.updatedAt },
    render,
  );
}

/**
 * What a public page needs to follow its event live (Page's `live`): the stream's address and the
 * release the page shows. Read while rendering, so a cached page carries the release it was made from.
 */
export async function liveMarkOf(ctx: AppContext, head: EventHead): Promise<LiveMark> {
  return { url: paths.live(head.slug), release: await latestReleaseNumber(ctx.db, head.id) };
}
