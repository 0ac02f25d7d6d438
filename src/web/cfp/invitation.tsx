import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { INVITATION_PATH, type CfpContext } from '../../modules/cfp/cfp-mail.js';
import { answerInvitationByToken, answerMyInvitation, type InvitationAnswered } from '../../modules/cfp/cospeaker.actions.js';
import { getInvitationByToken, type Invitation } from '../../modules/cfp/cospeaker.queries.js';
import { field, queryParam, sendAccountPage } from '../account/page.js';
import { HiddenField, LinkProblemBody } from '../account/parts.js';
import { idParam } from '../backoffice/shared.js';
import { PostForm } from '../components/form.js';
import { attrText } from '../components/html.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { cfpPaths } from './parts.js';

/*
 * Answering an invitation to co-speak (private pages: no-store, CSRF-checked posts):
 *   GET  /cospeaker-invitation?token=      the mail's link: who invites, to what; accept (signed in
 *                                          with the invited address) or decline (no account needed)
 *   POST /cospeaker-invitation             answer by the link's secret (the GET never uses it up)
 *   POST /account/proposals/:id/invitation answer one's own invitation from one's proposals page
 */
export async function invitationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cctx: CfpContext = { config: ctx.config, clock: ctx.clock };

  app.get(INVITATION_PATH, async (request, reply) => {
    const token = queryParam(request, 'token');
    let invitation: Invitation & { mayAccept: boolean };
    try {
      invitation = await getInvitationByToken(ctx.db, token, request.actor ?? null);
    } catch (err) {
      return linkProblem(request, reply, err as DomainError);
    }
    const signIn = `/sign-in?next=${encodeURIComponent(request.url)}`;
    return sendAccountPage(request, reply, {
      title: 'Invitation to co-speak',
      body: ({ csrf }) => (
        <>
          <h1>Invitation to co-speak</h1>
          <InvitationCard
            invitation={invitation}
            action={INVITATION_PATH}
            token={token}
            csrf={csrf}
            mayAccept={invitation.mayAccept}
            signIn={invitation.mayAccept ? undefined : signIn}
          />
        </>
      ),
    });
  });

  app.post(INVITATION_PATH, async (request, reply) => {
    const token = field(request.body, 'token');
    try {
      const answered = await answerInvitationByToken(ctx.db, cctx, request.actor ?? null, token, request.body);
      return answeredPage(request, reply, answered);
    } catch (err) {
      if ((err as DomainError).code === 'TOKEN_INVALID') return linkProblem(request, reply, err as DomainError);
      throw err;
    }
  });

  app.post('/account/proposals/:proposalId/invitation', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const a = await answerMyInvitation(ctx.db, cctx, actor, idParam(request, 'proposalId'), request.body);
    return a.status === 'accepted'
      ? redirectWithNotice(reply, cfpPaths.proposal(a.proposalId), `You are a co-speaker of "${a.title}".`)
      : redirectWithNotice(reply, cfpPaths.mine(), `You declined to co-speak in "${a.title}".${a.blocked ? ' You get no more invitations to co-speak.' : ''}`);
  });
}

/**
 * An invitation: who invites to what, and two forms: accept (when `mayAccept`) and decline, with
 * the choice to get no more invitations. `token` is posted along when answering by the link;
 * `signIn` (a sign-in link coming back here) explains how to accept when the asker may not yet.
 */
export function InvitationCard(p: {
  invitation: Invitation;
  action: string;
  token?: string;
  csrf: string;
  mayAccept: boolean;
  signIn?: string | undefined;
}): JSX.Element {
  const i = p.invitation;
  return (
    <section class="account-card" aria-labelledby={`invitation-${i.proposalId}`}>
      <h2 id={`invitation-${i.proposalId}`} safe>{`${i.inviter} invites you to co-speak`}</h2>
      <p
        safe
      >{`"${i.title}", proposed for ${i.eventTitle}. You count as a speaker of it only if you accept: until then the organizers see only the address it was sent to.`}</p>
      {p.mayAccept ? (
        <PostForm action={p.action} csrf={p.csrf} label="Accept the invitation">
          <HiddenField name="token" value={p.token ?? ''} />
          <input type="hidden" name="answer" value="accept" />
          <button type="submit">Accept: I speak in it</button>
        </PostForm>
      ) : (
        ''
      )}
      {p.signIn ? (
        <p>
          To accept, <a href={attrText(p.signIn)}>sign in</a> (or <a href="/sign-up">sign up</a>) with <strong safe>{i.email}</strong> and open this link again.
          Declining needs no account.
        </p>
      ) : (
        ''
      )}
      <PostForm action={p.action} csrf={p.csrf} label="Decline the invitation">
        <HiddenField name="token" value={p.token ?? ''} />
        <input type="hidden" name="answer" value="decline" />
        <div class="field field-checkbox">
          <input type="checkbox" id={`block-${i.proposalId}`} name="block" />
          <label for={`block-${i.proposalId}`}>Send no more invitations to co-speak to this address, from anyone</label>
        </div>
        <button type="submit" class="secondary">
          Decline
        </button>
      </PostForm>
    </section>
  );
}

function answeredPage(request: FastifyRequest, reply: FastifyReply, a: InvitationAnswered): FastifyReply {
  return sendAccountPage(request, reply, {
    title: a.status === 'accepted' ? 'Invitation accepted' : 'Invitation declined',
    body: () => (
      <section class="account-card">
        <h1>{a.status === 'accepted' ? 'Invitation accepted' : 'Invitation declined'}</h1>
        <p safe>{a.status === 'accepted' ? `You are a co-speaker of "${a.title}".` : `You declined to co-speak in "${a.title}".`}</p>
        {a.blocked ? <p>This address gets no more invitations to co-speak.</p> : ''}
        {a.status === 'accepted' ? (
          <p>
            <a href={attrText(cfpPaths.proposal(a.proposalId))}>See the proposal</a>
          </p>
        ) : (
          ''
        )}
      </section>
    ),
  });
}

function linkProblem(request: FastifyRequest, reply: FastifyReply, err: DomainError): FastifyReply {
  if (err.code !== 'TOKEN_INVALID') throw err;
  return sendAccountPage(request, reply, {
    title: 'Invitation link not valid',
    status: err.status,
    body: () => (
      <LinkProblemBody
        heading="This invitation link does not work"
        message="It was already answered, or the proposal changed its co-speakers."
        again={{ href: cfpPaths.mine(), label: 'Your proposals' }}
      />
    ),
  });
}
