import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { ROLE_LABELS, type Role } from '../../modules/accounts/actor.js';
import { listMembers } from '../../modules/events/membership.queries.js';
import { sendPage } from '../private.js';
import { DataTable, boContext, boPage, idParam } from './shared.js';

/*
 *   GET /manage/communities/:communityId/members   a community's members with their e-mail
 *                                                  addresses and community roles (owners and
 *                                                  organizers only: listMembers answers 403 otherwise)
 */
export async function memberPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/communities/:communityId/members', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { community, members } = await listMembers(ctx.db, c.actor, idParam(request, 'communityId'));
    const html = boPage(c, {
      title: `Members of ${community.name}`,
      children: (
        <>
          <h1 safe>{`Members of ${community.name}`}</h1>
          <p
            class="lede"
            safe
          >{`${members.length} member${members.length === 1 ? '' : 's'}. Organizers and co-hosts are given their roles under Team; roles are shown here.`}</p>
          <p class="bo-actions">
            <a href={`/manage/communities/${community.id}/series`}>Event series</a>
            <a href={`/communities/${encodeURIComponent(community.slug)}`}>Public page</a>
          </p>
          <DataTable caption={`Members of ${community.name}`} headers={['Name', 'E-mail', 'Role', 'Joined']} empty="Nobody has joined yet.">
            {members.map((m) => (
              <tr>
                <td safe>{m.displayName}</td>
                <td safe>{m.email}</td>
                <td safe>{m.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', ') || 'Member'}</td>
                <td safe>{m.joinedAt.slice(0, 10)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ),
    });
    return sendPage(reply, html);
  });
}
