import Html from '@kitajs/html';
import { attrText } from '../components/html.js';
import { PostForm } from '../components/form.js';

/* Small pieces the account pages share. */

/** A hidden form field carrying a value from the URL (a link's token, the `next` page). */
export function HiddenField(p: { name: string; value: string }): JSX.Element {
  return p.value ? <input type="hidden" name={p.name} value={attrText(p.value)} /> : '';
}

/**
 * The page behind a mailed one-time link: it explains and offers one button that POSTs the
 * token. Opening the link (GET) never uses it up, because mail scanners open links too.
 */
export function ConfirmLinkBody(p: { heading: string; text: string; action: string; token: string; button: string; csrf: string; children?: Html.Children }): JSX.Element {
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

/** A stored instant as "2026-11-22 14:05 UTC". */
export function instant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
