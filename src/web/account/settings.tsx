import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { changePassword, getOwnAccount, requestEmailVerification } from '../../modules/accounts/account.actions.js';
import { countActiveApiTokens } from '../../modules/accounts/api-token.actions.js';
import { ButtonForm, CheckboxField, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { listMySpeakerSessions, type MySpeakerSession } from '../../modules/agenda/speaker-links.queries.js';
import { changeDisplayName } from '../../modules/privacy/display-name.actions.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { field, formFailure, sendAccountPage, sessionSecret } from './page.js';
import { SpeakerSessions } from './speaker-sessions.js';

type OwnAccount = Awaited<ReturnType<typeof getOwnAccount>> & {
  readonly speakerSessions: readonly MySpeakerSession[];
  /** API tokens that still work (offered for revoking with "sign out everywhere"). */
  readonly apiTokens: number;
};

/** The person's account and the sessions they speak at (the "Your sessions" section). */
async function loadAccount(ctx: AppContext, actor: Actor): Promise<OwnAccount> {
  const [account, speakerSessions, apiTokens] = await Promise.all([
    getOwnAccount(ctx.db, actor),
    listMySpeakerSessions(ctx.db, actor),
    countActiveApiTokens(ctx.db, actor.userId),
  ]);
  return { ...account, speakerSessions, apiTokens };
}

interface SettingsForms {
  readonly profile?: FormState;
  readonly password?: FormState;
}

/**
 *   GET  /account               profile, e-mail (and "send a new confirmation link"), password,
 *                               sessions, the sessions they speak at (with "Add slides or
 *                               video"), and links to tokens, data export and deletion
 *   POST /account/profile       changeDisplayName (refreshes the cached pages crediting them)
 *   POST /account/password      changePassword (this session stays, every other one ends)
 *   POST /account/verification  requestEmailVerification
 */
export async function settingsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/account', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return view(request, reply, await loadAccount(ctx, actor), {});
  });

  app.post('/account/profile', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const input = { displayName: field(request.body, 'displayName') };
    try {
      await changeDisplayName(ctx, actor, input);
      return redirectWithNotice(reply, '/account', 'Your profile is saved.');
    } catch (err) {
      const { state, status } = formFailure(err, input);
      return view(request, reply, await loadAccount(ctx, actor), { profile: state }, status);
    }
  });

  app.post('/account/password', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const input = { currentPassword: field(request.body, 'currentPassword'), newPassword: field(request.body, 'newPassword') };
    try {
      await changePassword(ctx.db, actor, input, sessionSecret(request), ctx.clock);
      return redirectWithNotice(reply, '/account', 'Your password is changed. Every other device was signed out.');
    } catch (err) {
      const { state, status } = formFailure(err, {});
      return view(request, reply, await loadAccount(ctx, actor), { password: state }, status);
    }
  });

  app.post('/account/verification', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    await requestEmailVerification(ctx.db, ctx.config, actor, ctx.clock);
    return redirectWithNotice(reply, '/account', 'If your address still needs confirming, a new link is on its way.');
  });
}

function view(request: FastifyRequest, reply: FastifyReply, account: OwnAccount, forms: SettingsForms, status = 200): FastifyReply {
  const profile = forms.profile ?? formState({ displayName: account.displayName });
  const password = forms.password ?? formState();
  return sendAccountPage(request, reply, {
    title: 'Your account',
    status,
    body: ({ csrf }) => (
      <>
        <h1>Your account</h1>
        <section class="account-card" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <ErrorSummary state={profile} labels={{ displayName: 'Your name' }} />
          <PostForm action="/account/profile" csrf={csrf}>
            <TextField name="displayName" label="Your name" state={profile} required autocomplete="name" />
            <button type="submit">Save profile</button>
          </PostForm>
        </section>

        <section class="account-card" aria-labelledby="email-heading">
          <h2 id="email-heading">E-mail address</h2>
          <p>
            <strong safe>{account.email}</strong> {account.emailVerified ? '(confirmed)' : '(not confirmed yet)'}
          </p>
          {account.emailVerified ? (
            ''
          ) : (
            <>
              <p>
                Confirm your address to accept invitations, be given roles, organize events and create API tokens. Open the link we mailed you, or ask for a new
                one.
              </p>
              <ButtonForm action="/account/verification" csrf={csrf} label="Send me a new confirmation link" class="secondary" />
            </>
          )}
        </section>

        <section class="account-card" aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          {account.hasPassword ? (
            <>
              <ErrorSummary state={password} labels={{ currentPassword: 'Current password', newPassword: 'New password' }} />
              <PostForm action="/account/password" csrf={csrf}>
                <input type="text" name="username" value={attrText(account.email)} autocomplete="username" hidden />
                <TextField name="currentPassword" type="password" label="Current password" state={password} required autocomplete="current-password" />
                <TextField
                  name="newPassword"
                  type="password"
                  label="New password"
                  state={password}
                  required
                  autocomplete="new-password"
                  hint="At least 12 characters. Every other device is signed out."
                />
                <button type="submit">Change password</button>
              </PostForm>
            </>
          ) : (
            <p>
              Your account has no password yet: you sign in with links. To set one, <a href="/forgot-password">ask for a password link</a>.
            </p>
          )}
        </section>

        <SpeakerSessions sessions={account.speakerSessions} />

        <section class="account-card" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">Signed-in devices</h2>
          <p>Lost a device, or signed in on a shared computer? Sign out everywhere, this browser included.</p>
          <PostForm action="/account/sign-out-everywhere" csrf={csrf} label="Sign out everywhere">
            {account.apiTokens === 0 ? (
              ''
            ) : (
              <CheckboxField
                name="revokeApiTokens"
                label={`Also revoke my ${account.apiTokens === 1 ? 'API token' : `${account.apiTokens} API tokens`}`}
                hint="Scripts using them stop working. Tick this if someone else may have used your account."
                state={formState()}
              />
            )}
            <button type="submit" class="secondary">
              Sign out everywhere
            </button>
          </PostForm>
        </section>

        <section class="account-card" aria-labelledby="more-heading">
          <h2 id="more-heading">More</h2>
          <ul>
            <li>
              <a href="/account/events">My events</a>: your RSVPs, tickets, waitlist places and session sign-ups
            </li>
            <li>
              <a href="/account/proposals">Your proposals</a>: sessions you proposed to calls for proposals, and proposals to review
            </li>
            <li>
              <a href="/account/tokens">Personal access tokens</a> for the API
            </li>
            <li>
              <a href="/account/data">Download your data</a>
            </li>
            <li>
              <a href="/account/delete">Delete your account</a>
            </li>
          </ul>
        </section>
      </>
    ),
  });
}
