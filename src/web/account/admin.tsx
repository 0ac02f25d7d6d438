import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { AccountErrors } from '../../modules/accounts/account.errors.js';
import { canAdministerSite } from '../../modules/accounts/account.policy.js';
import { listOutbox, type OutboxEntry } from '../../modules/mail/outbox.queries.js';
import { plural } from '../components/html.js';
import { signedInActor } from '../private.js';
import { instant } from './parts.js';
import { sendAccountPage } from './page.js';

/** Mails the outbox page shows (newest first). */
const OUTBOX_PAGE_SIZE = 100;

const STATUS_TEXT: Record<OutboxEntry['status'], string> = {
  queued: 'waiting to be sent',
  sending: 'being sent',
  sent: 'sent',
  failed: 'failed (retried)',
  kept: 'kept here (no SMTP)',
};

/**
 *   GET /admin   site administrators only (403 for everyone else): how mail is delivered, the
 *                mail outbox with each mail's text (so an install without SMTP can read its
 *                sign-in links), and how to add administrators.
 */
export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/admin', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    if (!canAdministerSite(actor)) throw AccountErrors.forbidden('open the site administration (site administrators only)');
    const mails = await listOutbox(ctx.db, { limit: OUTBOX_PAGE_SIZE });
    const smtp = Boolean(ctx.config.smtpUrl);
    return sendAccountPage(request, reply, {
      title: 'Site administration',
      body: () => (
        <>
          <h1>Site administration</h1>
          <section class="account-card" aria-labelledby="mail-heading">
            <h2 id="mail-heading">Mail</h2>
            {smtp ? (
              <p safe>{`Mail is sent through the SMTP server in SMTP_URL, from ${ctx.config.mailFrom}. Failed mail is retried up to 5 times.`}</p>
            ) : (
              <p>
                <strong>SMTP_URL is not set</strong>, so Hallway sends no mail: every mail (sign-in links, confirmations, invitations) is kept in the outbox below,
                and the server log names each one. Pass links on by hand, or set SMTP_URL and MAIL_FROM and restart.
              </p>
            )}
          </section>
          <section class="account-card" aria-labelledby="admins-heading">
            <h2 id="admins-heading">Administrators</h2>
            <p>
              The first administrator is created with the <code>/setup</code> link the server prints in its log on its very first start. To make someone else an
              administrator, run <code>hallway admin create their@address</code> on the server: it prints a one-time sign-in link for them (valid 24 hours).
            </p>
          </section>
          <section aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">Mail outbox</h2>
            <p safe>{mails.length === 0 ? 'No mail yet.' : `${mails.length === OUTBOX_PAGE_SIZE ? 'The latest ' : ''}${plural(mails.length, 'mail')}, newest first.`}</p>
            {mails.length === 0 ? '' : <OutboxTable mails={mails} />}
          </section>
        </>
      ),
    });
  });
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
