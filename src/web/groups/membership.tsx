import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { joinCommunity, leaveCommunity } from '../../modules/events/membership.actions.js';
import { communityBySlug, isMember, memberCount } from '../../modules/events/membership.queries.js';
import { PostForm } from '../components/form.js';
import { plural } from '../components/html.js';
import { Page } from '../layouts/page.js';
import { csrfToken, redirectWithNotice, sendPage, signedInActor, takeNotice } from '../private.js';
import { groupPaths } from './paths.js';

/*
 * Private routes (inside privatePages: cookie auth, no-store, CSRF on POST):
 *   GET  /communities/:slug/membership   confirm page: "you are (not) a member" and the Join or
 *                                        Leave form (the no-JS path from the cached public page)
 *   POST /communities/:slug/join         joinCommunity (idempotent); back to the confirm page
 *   POST /communities/:slug/leave        leaveCommunity (idempotent); likewise
 */
export async function membershipRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/communities/:slug/membership', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const community = await communityBySlug(ctx.db, request.params.slug);
    const [member, count] = await Promise.all([isMember(ctx.db, actor.userId, community.id), memberCount(ctx.db, community.id)]);
    const csrf = csrfToken(reply);
    const html = Page({
      title: member ? `Leave ${community.name}` : `Join ${community.name}`,
      account: { displayName: actor.displayName, isAdmin: actor.isAdmin, csrf },
      notice: takeNotice(request, reply),
      children: (
        <section class="account-card">
          <h1 safe>{community.name}</h1>
          <p safe>{plural(count, 'member')}</p>
          <p>{member ? 'You are a member of this group.' : 'You are not a member of this group yet. Members are listed for its organizers only.'}</p>
          <PostForm action={member ? groupPaths.leave(community.slug) : groupPaths.join(community.slug)} csrf={csrf}>
            <button type="submit">{member ? 'Leave this group' : 'Join this group'}</button>
          </PostForm>
          <p>
            <a href={groupPaths.community(community.slug)}>Back to the group</a>
          </p>
        </section>
      ),
    });
    return sendPage(reply, html);
  });

  for (const action of ['join', 'leave'] as const) {
    app.post<{ Params: { slug: string } }>(`/communities/:slug/${action}`, async (request, reply) => {
      const actor = signedInActor(request, reply);
      if (!actor) return reply;
      const community = await communityBySlug(ctx.db, request.params.slug);
      const state = action === 'join' ? await joinCommunity(ctx, actor, community.id) : await leaveCommunity(ctx, actor, community.id);
      const notice = state.member ? `You are a member of ${community.name}.` : `You left ${community.name}.`;
      return redirectWithNotice(reply, groupPaths.membership(community.slug), notice);
    });
  }
}
