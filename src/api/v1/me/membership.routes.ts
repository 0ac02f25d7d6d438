import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { joinCommunity, leaveCommunity } from '../../../modules/events/membership.actions.js';
import { communityBySlug, isMember, memberCount } from '../../../modules/events/membership.queries.js';
import { bool, int, object, one } from '../zod-schema.js';
import { meRoute } from './route.js';

const MembershipSchema = one(object({ communityId: int(), member: bool(), memberCount: int() }), 'Your membership.');

/** Joining and leaving communities (meetup groups), both idempotent. */
export async function myMembershipRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  const community = (params: unknown) => communityBySlug(db, (params as { slug: string }).slug);

  meRoute(app, {
    method: 'GET',
    url: '/communities/:slug/membership',
    textParams: ['slug'],
    operationId: 'getMyMembership',
    summary: 'Am I a member?',
    description: 'Whether you are a member of the community, and how many members it has. NOT_FOUND (404) for an unknown community.',
    ok: { status: 200, schema: MembershipSchema },
    errors: [404],
    handler: async (request, _reply, { actor }) => {
      const c = await community(request.params);
      const [member, count] = await Promise.all([isMember(db, actor.userId, c.id), memberCount(db, c.id)]);
      return { data: { communityId: c.id, member, memberCount: count } };
    },
  });

  for (const [method, action] of [
    ['PUT', joinCommunity],
    ['DELETE', leaveCommunity],
  ] as const) {
    meRoute(app, {
      method,
      url: '/communities/:slug/membership',
      textParams: ['slug'],
      operationId: method === 'PUT' ? 'joinCommunity' : 'leaveCommunity',
      summary: method === 'PUT' ? 'Join a community' : 'Leave a community',
      description:
        method === 'PUT'
          ? 'Idempotent: joining again keeps one membership. Members are listed to the community’s organizers only.'
          : 'Idempotent: leaving when not a member changes nothing. Roles in the community (organizer, co-host) stay.',
      ok: { status: 200, schema: MembershipSchema },
      errors: [404],
      handler: async (request, _reply, { actor }) => ({ data: await action(ctx, actor, (await community(request.params)).id) }),
    });
  }
}
