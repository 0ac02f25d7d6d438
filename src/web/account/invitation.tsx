import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Role } from '../../modules/accounts/actor.js';
import { acceptInvitation, describeInvitation, type InvitationPreview } from '../../modules/accounts/invitation.actions.js';
import { ButtonForm } from '../components/form.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { ConfirmLinkBody, sendLinkProblem } from './parts.js';
import { field, queryParam, sendAccountPage } from './page.js';

/** What each role may do, in one sentence for the person deciding whether to accept. */
const ROLE_MEANING: Record<Role, string> = {
  owner: 'Owners run everything, including who else may run it.',
  organizer: 'Organizers edit the event, its programme, rooms, tracks and sponsors, publish it, and invite others.',
  track_manager: 'Track managers edit the sessions of their tracks.',
  reviewer: 'Reviewers read and rate proposals.',
  speaker: 'Speakers keep their own profile and sessions up to date.',
  volunteer: 'Check-in volunteers check people in at the door (find by name, scan tickets) and see nothing else of the back office.',
};

/**
 *   GET  /invitations/accept?token=   signed in only: what the invitation grants, and an "Accept" button
 *   POST /invitations/accept          acceptInvitation; 303 to /manage
 * The invited address must be the signed-in account's, and confirmed.
 */
export async function invitationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/invitations/accept', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const token = queryParam(request, 'token');
    let preview: InvitationPreview;
    try {
      preview = await describeInvitation(ctx.db, actor, token, ctx.clock);
    } catch (err) {
      return problemPage(request, reply, err);
    }
    return sendAccountPage(request, reply, {
      title: 'Invitation',
      body: ({ csrf }) => {
        const what = `${preview.scope === 'event' ? 'This applies to this event only.' : 'This applies to the community and every one of its events.'} ${ROLE_MEANING[preview.role]}`;
        if (!preview.forThisAccount) {
          return (
            <section class="account-card">
              <h1>Invitation</h1>
              <p safe>{`You are invited to become ${preview.description}. ${what}`}</p>
              <div class="error-summary" role="alert">
                <p>This invitation was sent to another e-mail address. Sign out and sign in (or sign up) with that address to accept it.</p>
              </div>
            </section>
          );
        }
        if (!actor.emailVerified) {
          return (
            <section class="account-card">
              <h1>Invitation</h1>
              <p safe>{`You are invited to become ${preview.description}. ${what}`}</p>
              <div class="error-summary" role="alert">
                <p>Confirm your e-mail address first: open the link we mailed you, then come back to this page.</p>
              </div>
              <ButtonForm action="/account/verification" csrf={csrf} label="Send me a new confirmation link" class="secondary" />
            </section>
          );
        }
        return (
          <ConfirmLinkBody
            heading="Invitation"
            text={`You are invited to become ${preview.description}. ${what}`}
            action="/invitations/accept"
            token={token}
            button="Accept the invitation"
            csrf={csrf}
          />
        );
      },
    });
  });

  app.post('/invitations/accept', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    try {
      const { scopeName } = await acceptInvitation(ctx.db, actor, field(request.body, 'token'), ctx.clock);
      return redirectWithNotice(reply, '/manage', `Invitation accepted: you now help run ${scopeName}.`);
    } catch (err) {
      return problemPage(request, reply, err);
    }
  });
}

/** An invitation that is unknown, used, expired or withdrawn. */
function problemPage(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  return sendLinkProblem(request, reply, err, {
    title: 'Invitation not valid',
    heading: 'This invitation does not work',
    again: { href: '/account', label: 'Go to your account' },
  });
}
