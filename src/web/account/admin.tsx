import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { AccountErrors } from '../../modules/accounts/account.errors.js';
import { canAdministerSite } from '../../modules/accounts/account.policy.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { listCommunityCreators, setCommunityCreator, type CommunityCreator } from '../../modules/accounts/community-creators.actions.js';
import { listOutbox, type OutboxEntry } from '../../modules/mail/outbox.queries.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfField, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { plural } from '../components/html.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { HiddenField, instant } from './parts.js';
import { field, formFailure, sendAccountPage } from './page.js';

/** Mails the outbox page shows (newest first). */
const OUTBOX_PAGE_SIZE = 100;

const STATUS_TEXT: Record<OutboxEntry['status'], string> = {
  queued: 'waiting to be sent',
  sending: 'being sent',
  sent: 'sent',
  failed: 'failed (retried)',
  kept: 'kept here (no SMTP)',
};

/** The signed-in site administrator, null after redirecting to sign in; FORBIDDEN for everyone else. */
function adminActor(request: FastifyRequest, reply: FastifyReply): Actor | null {
  const actor = signedInActor(request, reply);
  if (actor && !canAdministerSite(actor)) throw AccountErrors.forbidden('open the site administration (site administrators only)');
  return actor;
}

/**
 *   GET  /admin                            site administrators only (403 for everyone else): how
 *                                          mail is delivered, who may start communities, the mail
 *                                          outbox with each mail's text (so an install without SMTP
 *                                          can read its sign-in links), how to add administrators
 *   POST /admin/community-creators         setCommunityCreator (email, allowed=true|false)
 */
export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/admin', async (request, reply) => {
    const actor = adminActor(request, reply);
    if (!actor) return reply;
    return view(request, reply, ctx, actor, formState());
  });

  app.post('/admin/community-creators', async (request, reply) => {
    const actor = adminActor(request, reply);
    if (!actor) return reply;
    const email = field(request.body, 'email');
    const allowed = field(request.body, 'allowed') !== 'false';
    try {
      const who = await setCommunityCreator(ctx.db, actor, email, allowed, ctx.clock);
      return redirectWithNotice(reply, '/admin', `${who.displayName} (${who.email}) ${allowed ? 'may start communities' : 'may no longer start communities'}.`);
    } catch (err) {
      const { state, status } = formFailure(err, { email });
      return view(request, reply, ctx, actor, state, status);
    }
  });
}

async function view(request: FastifyRequest, reply: FastifyReply, ctx: AppContext, actor: Actor, creatorForm: FormState, status = 200): Promise<FastifyReply> {
  const [mails, creators] = await Promise.all([listOutbox(ctx.db, { limit: OUTBOX_PAGE_SIZE }), listCommunityCreators(ctx.db, actor)]);
  const smtp = Boolean(ctx.config.smtpUrl);
  return sendAccountPage(request, reply, {
    title: 'Site administration',
    status,
    body: ({ csrf }) => (
      <>
        <h1>Site administration</h1>
        <section class="account-card" aria-labelledby="mail-heading">
          <h2 id="mail-heading">Mail</h2>
          {smtp ? (
            <p safe>{`Mail is sent through the SMTP server in SMTP_URL, from ${ctx.config.mailFrom}. Failed mail is retried up to 5 times.`}</p>
          ) : (
            <p>
              <strong>SMTP_URL is not set</strong>, so Hallway sends no mail: every mail (sign-in links, confirmations, invitations) is kept in the outbox
              below, and the server log names each one. Pass links on by hand, or set SMTP_URL and MAIL_FROM and restart.
            </p>
          )}
        </section>
        <CommunityCreators rule={ctx.config.communityCreators} creators={creators} state={creatorForm} csrf={csrf} />
        <section class="account-card" aria-labelledby="admins-heading">
          <h2 id="admins-heading">Administrators</h2>
          <p>
            The first administrator is created with the <code>/setup</code> link the server prints in its log on its very first start. To make someone else an
            administrator, run <code>hallway admin create their@address</code> on the server: it prints a one-time sign-in link for them (valid 24 hours).
          </p>
        </section>
        <section aria-labelledby="outbox-heading">
          <h2 id="outbox-heading">Mail outbox</h2>
          <p safe>
            {mails.length === 0 ? 'No mail yet.' : `${mails.length === OUTBOX_PAGE_SIZE ? 'The latest ' : ''}${plural(mails.length, 'mail')}, newest first.`}
          </p>
          {mails.length === 0 ? '' : <OutboxTable mails={mails} />}
        </section>
      </>
    ),
  });
}

function CommunityCreators(p: { rule: 'allowed' | 'confirmed'; creators: readonly CommunityCreator[]; state: FormState; csrf: string }): JSX.Element {
  return (
    <section class="account-card" aria-labelledby="creators-heading">
      <h2 id="creators-heading">Who may start a community</h2>
      {p.rule === 'confirmed' ? (
        <p>
          <code>COMMUNITY_CREATORS=confirmed</code>: everyone with a confirmed e-mail address may start a community. The people listed here were allowed before,
          and keep it if you set <code>COMMUNITY_CREATORS=allowed</code>.
        </p>
      ) : (
        <p>
          Site administrators and the people you allow here may start a community (<code>COMMUNITY_CREATORS=allowed</code>). Everyone else is told to ask you.
          They need an account with a confirmed address.
        </p>
      )}
      {p.creators.length === 0 ? (
        <p>Nobody is allowed yet.</p>
      ) : (
        <ul>
          {p.creators.map((c) => (
            <li>
              <span safe>{`${c.displayName} (${c.email})`}</span>{' '}
              <form method="post" action="/admin/community-creators" class="button-form">
                <CsrfField token={p.csrf} />
                <HiddenField name="email" value={c.email} />
                <HiddenField name="allowed" value="false" />
                <button type="submit" class="secondary">
                  Stop allowing<span class="vh" safe>{` ${c.displayName}`}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <ErrorSummary state={p.state} labels={{ email: 'E-mail address' }} />
      <PostForm action="/admin/community-creators" csrf={p.csrf} label="Allow someone to start communities">
        <HiddenField name="allowed" value="true" />
        <TextField name="email" type="email" label="E-mail address" state={p.state} required hint="The address of their account." />
        <button type="submit">Allow to start communities</button>
      </PostForm>
    </section>
  );
}

function OutboxTable(p: { mails: readonly OutboxEntry[] }): JSX.Element {
  return (
    <div class="account-table-scroll">
      <table class="data-table account-outbox">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">To</th>
            <th scope="col">Mail</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {p.mails.map((m) => (
            <tr>
              <td safe>{instant(m.createdAt)}</td>
              <td safe>{m.to}</td>
              <td>
                <details>
                  <summary safe>{m.subject}</summary>
                  <pre class="account-mail-text" safe>
                    {m.text}
                  </pre>
                </details>
              </td>
              <td>
                <span safe>{STATUS_TEXT[m.status]}</span>
                {m.lastError ? <p class="account-mail-error" safe>{`Attempt ${m.attempts}: ${m.lastError}`}</p> : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
