import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../mail/smtp-server.js';
import { WebClient } from '../support/web-client.js';

/** The public origin the test apps put in mailed links (tests follow them by path). */
export const BASE_URL = 'http://hallway.test';

export interface AccountTestApp {
  readonly app: RunningApp;
  /** A real SMTP server the app's mail sender delivers to (SMTP_URL). */
  readonly smtp: TestSmtpServer;
  client(): WebClient;
  close(): Promise<void>;
}

/**
 * A real Hallway server (mail sender on, SMTP_URL pointing at a real loopback SMTP server).
 * Rate limits count per IP and every test client is 127.0.0.1: a file that posts a rate-limited
 * form more often than AUTH_RATE_LIMITS allows needs a second app.
 */
export async function startAccountApp(
  options: { database?: TestDatabase; env?: Record<string, string>; docs?: readonly EventDocumentInput[] } = {},
): Promise<AccountTestApp> {
  const smtp = await startSmtpServer();
  const app = await startTestApp({
    database: options.database,
    docs: options.docs,
    env: { BASE_URL, SMTP_URL: smtp.url, MAIL_FROM: 'Hallway <noreply@hallway.test>', ...options.env },
  });
  return {
    app,
    smtp,
    client: () => new WebClient(app.url),
    async close() {
      await app.close();
      await smtp.close();
    },
  };
}

/** The path and query (`/verify-email?token=…`) of the link to `path` in a mail's text. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const m = new RegExp(`${BASE_URL.replace(/\./g, '\\.')}(${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_%-]+)`).exec(mail.text);
  if (!m) throw new Error(`no ${path} link in the mail "${mail.subject}":\n${mail.text}`);
  return m[1]!;
}

/** Waits for the next mail to `to` after `seen` mails in total and returns it. */
export async function nextMailTo(smtp: TestSmtpServer, to: string, seen: number): Promise<ReceivedMail> {
  for (let n = seen + 1; ; n++) {
    const all = await smtp.waitFor(n);
    const mail = all.slice(seen).find((m) => m.to.includes(to));
    if (mail) return mail;
  }
}

/** The visible text of a page's <main>, whitespace collapsed (what a reader sees). */
export function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The whole page with every CSRF token blanked, for comparing two answers byte for byte. */
export function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}

/** The Set-Cookie line for `name` in a response, if any. */
export function setCookieLine(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
}

/** Subjects of the mails queued for `to`: every mail is an outbox row first, written with the request that causes it. */
export async function queuedFor(t: AccountTestApp, to: string): Promise<string[]> {
  return (await t.app.db.selectFrom('mail_outbox').select('subject').where('to_address', '=', to).orderBy('id').execute()).map((r) => r.subject);
}
