import type Html from '@kitajs/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../lib/domain-error.js';
import { attrText } from '../components/html.js';
import { PostForm } from '../components/form.js';
import { queryParam, sendAccountPage } from './page.js';

/* Small pieces the account pages share, and the pages built only from them. */

/** A hidden form field carrying a value from the URL (a link's token, the `next` page). */
export function HiddenField(p: { name: string; value: string }): JSX.Element {
  return p.value ? <input type="hidden" name={p.name} value={attrText(p.value)} /> : '';
}

/**
 * The page behind a mailed one-time link: it explains and offers one button that POSTs the
 * token. Opening the link (GET) never uses it up, because mail scanners open links too.
 */
export function ConfirmLinkBody(p: {
  heading: string;
  text: string;
  action: string;
  token: string;
  button: string;
  csrf: string;
  children?: Html.Children;
}): JSX.Element {
  return (
    <section class="account-card">
      <h1 safe>{p.heading}</h1>
      <p safe>{p.text}</p>
      <PostForm action={p.action} csrf={p.csrf}>
        <HiddenField name="token" value={p.token} />
        {p.children ?? ''}
        <button type="submit" safe>
          {p.button}
        </button>
      </PostForm>
    </section>
  );
}

/** Sends the page behind a one-time link (`?token=`): its title is its heading, one button POSTs to `action`. */
export function sendConfirmLinkPage(
  request: FastifyRequest,
  reply: FastifyReply,
  p: { title: string; text: string; action: string; button: string },
): FastifyReply {
  return sendAccountPage(request, reply, {
    title: p.title,
    body: ({ csrf }) => (
      <ConfirmLinkBody heading={p.title} text={p.text} action={p.action} token={queryParam(request, 'token')} button={p.button} csrf={csrf} />
    ),
  });
}

/** A link that did not work (invalid, used, expired): the message and where to get a new one. */
export function LinkProblemBody(p: { heading: string; message: string; again: { href: string; label: string } }): JSX.Element {
  return (
    <section class="account-card">
      <h1 safe>{p.heading}</h1>
      <div class="error-summary" role="alert">
        <p safe>{p.message}</p>
      </div>
      <p>
        <a href={attrText(p.again.href)} safe>
          {p.again.label}
        </a>
      </p>
    </section>
  );
}

/**
 * Sends the page of a link that was refused (invalid, used, expired), with the refusal's status.
 * Anything else (not a DomainError, or a 5xx) is rethrown for the error page.
 */
export function sendLinkProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  p: { title: string; heading: string; again: { href: string; label: string } },
): FastifyReply {
  if (!(err instanceof DomainError) || err.status >= 500) throw err;
  return sendAccountPage(request, reply, {
    title: p.title,
    status: err.status,
    body: () => <LinkProblemBody heading={p.heading} message={err.message} again={p.again} />,
  });
}

/** "Check your inbox": shown after every form that may send a mail, identical for every address. */
export function CheckInboxBody(p: { heading: string; paragraphs: readonly string[] }): JSX.Element {
  return (
    <section class="account-card">
      <h1 safe>{p.heading}</h1>
      {p.paragraphs.map((text) => (
        <p safe>{text}</p>
      ))}
      <p>
        <a href="/sign-in">Back to sign in</a>
      </p>
    </section>
  );
}

/** Sends the "Check your inbox" page that follows a form which may have sent a mail. */
export function sendCheckInbox(request: FastifyRequest, reply: FastifyReply, paragraphs: readonly string[]): FastifyReply {
  return sendAccountPage(request, reply, { title: 'Check your inbox', body: () => <CheckInboxBody heading="Check your inbox" paragraphs={paragraphs} /> });
}

/** A stored instant as "2026-11-22 14:05 UTC". */
export function instant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
