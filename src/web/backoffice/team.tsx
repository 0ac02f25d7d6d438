import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { ROLE_LABELS, type Role } from '../../modules/accounts/actor.js';
import type { InviteInput, RevokeRoleInput } from '../../modules/accounts/account.schemas.js';
import { inviteToRole, listPendingInvitations, withdrawInvitation, type InvitationInfo } from '../../modules/accounts/invitation.actions.js';
import { listRoleGrants, revokeRole, type TeamMember } from '../../modules/accounts/role.actions.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { ButtonForm, CsrfField, ErrorSummary, PostForm, SelectField, TextField, formState, type FormState } from '../components/form.js';
import { attrText, cx } from '../components/html.js';
import { formatDayMedium } from '../components/time-format.js';
import { ActionError, bo, boContext, boPage, buttonAction, DataTable, formBody, idParam, idsOf, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Who may work on the event: role grants with revoke, invitations by e-mail (organizer, track
 * manager of chosen tracks, reviewer, check-in volunteer) and the pending ones with withdraw (organizers).
 *   GET  /manage/events/:id/team
 *   POST /manage/events/:id/team/invite
 *   POST /manage/events/:id/team/revoke                           (userId, role)
 *   POST /manage/events/:id/team/invitations/:invitationId/withdraw
 */
export async function teamPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const load = async (c: BoContext, eventId: number) => {
    const ed = await loadEvent(ctx, c, eventId, 'manage');
    const scope = { scope: 'event' as const, scopeId: ed.event.id };
    const [members, invitations] = await Promise.all([listRoleGrants(ctx.db, c.actor, scope), listPendingInvitations(ctx.db, c.actor, scope, ctx.clock)]);
    return { ed, members, invitations };
  };

  app.get('/manage/events/:eventId/team', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const t = await load(c, idParam(request, 'eventId'));
    return reply.type('text/html; charset=utf-8').send(renderTeam(c, t, formState({ role: 'organizer' })));
  });

  app.post('/manage/events/:eventId/team/invite', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const t = await load(c, idParam(request, 'eventId'));
    const body = formBody(request);
    const input = { email: body.email, scope: 'event', scopeId: t.ed.event.id, role: body.role, trackIds: idsOf(body.trackIds) } as InviteInput;
    return submitForm(
      reply,
      body,
      () => inviteToRole(ctx.db, ctx.config, c.actor, input, ctx.clock),
      (inv) => ({
        to: bo.event(t.ed.event.id, 'team'),
        notice: ctx.config.smtpUrl
          ? `Invitation mailed to ${inv.email}.`
          : `Invitation for ${inv.email} kept in the outbox (no mail server is set up); you may pass on this link: ${inv.link}`,
      }),
      (state) => renderTeam(c, t, state),
    );
  });

  app.post('/manage/events/:eventId/team/revoke', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const t = await load(c, idParam(request, 'eventId'));
    const body = formBody(request);
    const userId = Number(body.userId);
    const member = t.members.find((m) => m.userId === userId && m.role === body.role);
    if (!member) throw EventErrors.notFound('role grant', String(body.userId ?? ''));
    const input = { userId, scope: 'event', scopeId: t.ed.event.id, role: member.role } as RevokeRoleInput;
    return buttonAction(
      reply,
      () => revokeRole(ctx.db, c.actor, input, ctx.clock),
      { to: bo.event(t.ed.event.id, 'team'), notice: `${member.displayName} is no longer ${ROLE_LABELS[member.role].toLowerCase()}.` },
      (error) => renderTeam(c, t, formState({ role: 'organizer' }), error),
    );
  });

  app.post('/manage/events/:eventId/team/invitations/:invitationId/withdraw', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const t = await load(c, idParam(request, 'eventId'));
    const invitationId = idParam(request, 'invitationId');
    const inv = t.invitations.find((i) => i.id === invitationId);
    if (!inv) throw EventErrors.notFound('invitation', invitationId);
    return buttonAction(
      reply,
      () => withdrawInvitation(ctx.db, c.actor, inv.id, ctx.clock),
      { to: bo.event(t.ed.event.id, 'team'), notice: `Invitation of ${inv.email} withdrawn.` },
      (error) => renderTeam(c, t, formState({ role: 'organizer' }), error),
    );
  });
}

const INVITE_ROLES: readonly Role[] = ['organizer', 'track_manager', 'reviewer', 'volunteer'];
const TEAM_LABELS: Record<string, string> = { email: 'E-mail address', role: 'Role', trackIds: 'Tracks' };

interface TeamData {
  readonly ed: EventForEditing;
  readonly members: readonly TeamMember[];
  readonly invitations: readonly InvitationInfo[];
}

function trackNames(ed: EventForEditing, ids: readonly number[]): string {
  return ids.map((id) => ed.tracks.find((t) => t.id === id)?.name ?? `#${id}`).join(', ');
}

function renderTeam(c: BoContext, t: TeamData, state: FormState, error?: DomainError): string {
  const { ed } = t;
  const id = ed.event.id;
  const chosen = new Set((state.values.trackIds ?? '').split(','));
  const trackError = state.errors.trackIds;
  return boPage(c, {
    title: 'Team',
    event: { ed, section: 'team' },
    children: (
      <>
        <h1>Team</h1>
        <p class="lede" safe>{`People with a role in this event. Owners and organizers of ${ed.community.name} also manage it.`}</p>
        <ActionError error={error} />
        <DataTable caption="Role grants" headers={['Person', 'Role', 'Since', 'Actions']} empty="Nobody has a role in this event itself yet.">
          {t.members.map((m) => (
            <tr>
              <th scope="row">
                <span safe>{m.displayName}</span>
                <br />
                <span class="hint" safe>
                  {m.email}
                </span>
              </th>
              <td safe>{ROLE_LABELS[m.role] + (m.trackIds.length ? ` (${trackNames(ed, m.trackIds)})` : '')}</td>
              <td safe>{formatDayMedium(m.since.slice(0, 10))}</td>
              <td class="bo-row-actions">
                <form method="post" action={attrText(bo.event(id, 'team/revoke'))} class="button-form">
                  <CsrfField token={c.csrf} />
                  <input type="hidden" name="userId" value={String(m.userId)} />
                  <input type="hidden" name="role" value={m.role} />
                  <button type="submit" class="danger" safe>
                    {`Revoke ${m.displayName} as ${ROLE_LABELS[m.role].toLowerCase()}`}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </DataTable>
        <section class="card" aria-labelledby="pending-h">
          <h2 id="pending-h">Pending invitations</h2>
          <DataTable caption="Pending invitations" headers={['E-mail', 'Role', 'Expires', 'Actions']} empty="None.">
            {t.invitations.map((inv) => (
              <tr>
                <th scope="row" safe>
                  {inv.email}
                </th>
                <td safe>{ROLE_LABELS[inv.role] + (inv.trackIds.length ? ` (${trackNames(ed, inv.trackIds)})` : '')}</td>
                <td safe>{formatDayMedium(inv.expiresAt.slice(0, 10))}</td>
                <td class="bo-row-actions">
                  <ButtonForm
                    action={bo.event(id, `team/invitations/${inv.id}/withdraw`)}
                    csrf={c.csrf}
                    label={`Withdraw invitation of ${inv.email}`}
                    class="secondary"
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
        <section class="card" aria-labelledby="invite-h">
          <h2 id="invite-h">Invite someone</h2>
          <p>They get an e-mail with a link (valid 7 days); they sign in or sign up with that address and accept.</p>
          <ErrorSummary state={state} labels={TEAM_LABELS} />
          <PostForm action={bo.event(id, 'team/invite')} csrf={c.csrf}>
            <TextField name="email" type="email" label="E-mail address" autocomplete="off" state={state} required />
            <SelectField
              name="role"
              label="Role"
              hint="Organizers run the whole event; track managers edit the sessions of their tracks; reviewers will review proposals; check-in volunteers only check people in at the door."
              state={state}
              options={INVITE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            />
            {ed.tracks.length ? (
              <fieldset class={cx('field', trackError && 'field-error')} aria-describedby={trackError ? 'f-trackIds-error' : undefined}>
                <legend>Tracks (track managers only)</legend>
                {trackError ? (
                  <p class="error" id="f-trackIds-error" safe>
                    {trackError}
                  </p>
                ) : (
                  ''
                )}
                {ed.tracks.map((tr, i) => (
                  <div class="field-checkbox">
                    <input
                      type="checkbox"
                      id={i === 0 ? 'f-trackIds' : `f-trackIds-${tr.id}`}
                      name="trackIds"
                      value={String(tr.id)}
                      checked={chosen.has(String(tr.id))}
                    />
                    <label for={i === 0 ? 'f-trackIds' : `f-trackIds-${tr.id}`} safe>
                      {tr.name}
                    </label>
                  </div>
                ))}
              </fieldset>
            ) : (
              ''
            )}
            <button type="submit">Send invitation</button>
          </PostForm>
        </section>
      </>
    ),
  });
}
