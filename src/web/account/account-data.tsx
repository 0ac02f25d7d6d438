import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { getOwnAccount } from '../../modules/accounts/account.actions.js';
import { confirmAccountOwner, FORMER_SPEAKER_NAME } from '../../modules/accounts/account-data.actions.js';
import { deletePersonalData, exportPersonalData } from '../../modules/privacy/personal-data.actions.js';
import { ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { clearSessionCookie, field, formFailure, sendAccountPage } from './page.js';

type OwnAccount = Awaited<ReturnType<typeof getOwnAccount>>;

/**
 *   GET  /account/data            what is stored, and a download button
 *   GET  /account/data/download   exportPersonalData (every module) as a JSON attachment
 *   GET  /account/delete          confirm (password, or the typed address) and choose what happens to speaker credit
 *   POST /account/delete          confirmAccountOwner, deletePersonalData (seats given back); cookie cleared; 303 to /sign-in
 */
export async function accountDataRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/account/data', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return sendAccountPage(request, reply, {
      title: 'Your data',
      body: () => (
        <section class="account-card">
          <h1>Your data</h1>
          <p>
            Download everything Hallway stores about you as one JSON file: your account, your roles, your API tokens (names only, never the secrets), the
            speaker profiles linked to your account, and what you changed in the back office.
          </p>
          <p>
            <a class="button" href="/account/data/download" download="">
              Download my data (JSON)
            </a>
          </p>
          <p>
            <a href="/account">Back to your account</a>
          </p>
        </section>
      ),
    });
  });

  app.get('/account/data/download', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const data = await exportPersonalData(ctx.db, actor);
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="hallway-my-data-${data.exportedAt.slice(0, 10)}.json"`)
      .send(`${JSON.stringify(data, null, 2)}\n`);
  });

  app.get('/account/delete', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return deleteView(request, reply, await getOwnAccount(ctx.db, actor), formState({ speakerCredit: 'remove' }));
  });

  app.post('/account/delete', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const speakerCredit = field(request.body, 'speakerCredit') === 'keep' ? 'keep' : 'remove';
    try {
      await confirmAccountOwner(ctx.db, actor, { password: field(request.body, 'password'), email: field(request.body, 'email') });
    } catch (err) {
      const { state, status } = formFailure(err, { speakerCredit, email: field(request.body, 'email') });
      return deleteView(request, reply, await getOwnAccount(ctx.db, actor), state, status);
    }
    await deletePersonalData(ctx.db, ctx.config, actor, { keepSpeakerCredit: speakerCredit === 'keep', clock: ctx.clock });
    clearSessionCookie(ctx, reply);
    return redirectWithNotice(reply, '/sign-in', 'Your account is deleted. Thank you for having been here.');
  });
}

function deleteView(request: FastifyRequest, reply: FastifyReply, account: OwnAccount, state: FormState, status = 200): FastifyReply {
  const keep = state.values.speakerCredit === 'keep';
  return sendAccountPage(request, reply, {
    title: 'Delete your account',
    status,
    body: ({ csrf }) => (
      <section class="account-card">
        <h1>Delete your account</h1>
        <p>
          This deletes your account, your sign-in sessions, API tokens and roles, at once and for good. You may want to{' '}
          <a href="/account/data">download your data</a> first.
        </p>
        <ErrorSummary state={state} labels={{ password: 'Your password', email: 'Your e-mail address' }} />
        <PostForm action="/account/delete" csrf={csrf} label="Delete your account">
          <fieldset class="account-choice">
            <legend>Talks you gave stay in the programmes. On them, show:</legend>
            <div class="field-checkbox">
              <input type="radio" id="credit-remove" name="speakerCredit" value="remove" checked={!keep} />
              <label for="credit-remove">{`"${FORMER_SPEAKER_NAME}" (your name, bio, photo and links are removed)`}</label>
            </div>
            <div class="field-checkbox">
              <input type="radio" id="credit-keep" name="speakerCredit" value="keep" checked={keep} />
              <label for="credit-keep">My name and profile as they are (no longer linked to an account)</label>
            </div>
          </fieldset>
          {account.hasPassword ? (
            <TextField
              name="password"
              type="password"
              label="Your password"
              state={state}
              required
              autocomplete="current-password"
              hint="To confirm it is you."
            />
          ) : (
            <TextField
              name="email"
              type="email"
              label="Your e-mail address"
              state={state}
              required
              autocomplete="off"
              hint="Type your account's address to confirm."
            />
          )}
          <button type="submit" class="danger">
            Delete my account
          </button>
        </PostForm>
        <p>
          <a href="/account">Keep my account</a>
        </p>
      </section>
    ),
  });
}
