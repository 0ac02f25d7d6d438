import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenInfo } from '../../modules/accounts/api-token.actions.js';
import { ButtonForm, CsrfField, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { instant } from './parts.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { field, formFailure, sendAccountPage } from './page.js';

/**
 *   GET  /account/tokens              the person's tokens (name, prefix, created, last used) and a "create" form
 *   POST /account/tokens              createApiToken; the result page shows the token once (never again)
 *   POST /account/tokens/:id/revoke   revokeApiToken (someone else's token is 404)
 */
export async function apiTokenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/account/tokens', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return listView(request, reply, ctx, actor, formState());
  });

  app.post('/account/tokens', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const name = field(request.body, 'name');
    let created: Awaited<ReturnType<typeof createApiToken>>;
    try {
      created = await createApiToken(ctx.db, actor, name, ctx.clock);
    } catch (err) {
      const { state, status } = formFailure(err, { name });
      return listView(request, reply, ctx, actor, state, status);
    }
    return sendAccountPage(request, reply, {
      title: 'New personal access token',
      body: () => (
        <section class="account-card">
          <h1>New personal access token</h1>
          <p safe>{`Your token "${created.name}" is ready. Copy it now: it is shown only this once, and Hallway keeps only a fingerprint of it.`}</p>
          <label for="new-token">Token</label>
          <input id="new-token" class="account-token" type="text" readonly value={attrText(created.token)} />
          <p>
            Send it with API requests as <code>{'Authorization: Bearer &lt;token&gt;'}</code>. It acts as you, with your roles, until you revoke it.
          </p>
          <p>
            <a href="/account/tokens">Back to your tokens</a>
          </p>
        </section>
      ),
    });
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : 0;
    await revokeApiToken(ctx.db, actor, id, ctx.clock);
    return redirectWithNotice(reply, '/account/tokens', 'The token is revoked: it no longer works.');
  });
}

async function listView(request: FastifyRequest, reply: FastifyReply, ctx: AppContext, actor: Actor, state: FormState, status = 200): Promise<FastifyReply> {
  const tokens = await listApiTokens(ctx.db, actor);
  return sendAccountPage(request, reply, {
    title: 'Personal access tokens',
    status,
    body: ({ csrf }) => (
      <>
        <h1>Personal access tokens</h1>
        <p>A token lets a script use the API as you. Give each one a name that says where it is used, and revoke it when it is no longer needed.</p>
        <section class="account-card" aria-labelledby="create-heading">
          <h2 id="create-heading">Create a token</h2>
          <ErrorSummary state={state} labels={{ name: 'Name' }} />
          {actor.emailVerified ? (
            <PostForm action="/account/tokens" csrf={csrf}>
              <TextField name="name" label="Name" state={state} required hint="For example: schedule sync on the venue screens." />
              <button type="submit">Create token</button>
            </PostForm>
          ) : (
            <>
              <p>Confirm your e-mail address to create tokens: open the link we mailed you, or ask for a new one.</p>
              <ButtonForm action="/account/verification" csrf={csrf} label="Send me a new confirmation link" class="secondary" />
            </>
          )}
        </section>
        <section aria-labelledby="list-heading">
          <h2 id="list-heading">Your tokens</h2>
          {tokens.length === 0 ? <p>You have no tokens.</p> : <TokenTable tokens={tokens} csrf={csrf} />}
        </section>
      </>
    ),
  });
}

function TokenTable(p: { tokens: readonly ApiTokenInfo[]; csrf: string }): JSX.Element {
  return (
    <div class="account-table-scroll">
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Starts with</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {p.tokens.map((t) => (
            <tr>
              <td safe>{t.name}</td>
              <td>
                <code safe>{`${t.prefix}…`}</code>
              </td>
              <td safe>{instant(t.createdAt)}</td>
              <td>{t.lastUsedAt ? instant(t.lastUsedAt) : 'never'}</td>
              <td>
                {t.revokedAt ? (
                  <span safe>{`revoked ${instant(t.revokedAt)}`}</span>
                ) : (
                  <form method="post" action={`/account/tokens/${t.id}/revoke`} class="button-form">
                    <CsrfField token={p.csrf} />
                    <button type="submit" class="secondary">
                      Revoke<span class="vh" safe>{` ${t.name}`}</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
