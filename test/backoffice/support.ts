import assert from 'node:assert/strict';
import type { Db } from '../../src/db/database.js';
import type { RoleGrant } from '../../src/modules/accounts/actor.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { WebClient } from '../support/web-client.js';

/** Helpers of the back-office tests: signed-in clients, form posts that must redirect, page text. */

let seq = 0;

/** A new verified user with the given grants and a WebClient signed in as them. */
export async function signedInClient(
  url: string,
  db: Db,
  name: string,
  options: { grants?: RoleGrant[]; isAdmin?: boolean; mayCreateCommunities?: boolean } = {},
): Promise<{ user: TestUser; client: WebClient }> {
  const user = await createTestUser(db, { email: `${name.toLowerCase().replace(/\W+/g, '.')}.${++seq}@example.org`, displayName: name, ...options });
  return { user, client: WebClient.signedIn(url, user.sessionCookie) };
}

/** Asserts a 303 redirect (printing the page when it is not) and returns its Location. */
export async function expectRedirect(res: Response, location?: string | RegExp): Promise<string> {
  if (res.status !== 303) assert.fail(`expected 303, got ${res.status}:\n${visibleText(await res.text()).slice(0, 2500)}`);
  const to = res.headers.get('location') ?? '';
  if (typeof location === 'string') assert.equal(to, location);
  else if (location) assert.match(to, location);
  return to;
}

/** GET `formPage`, post its form to `action` (default: the same page) and expect a 303; returns Location. */
export async function submitOk(
  client: WebClient,
  formPage: string,
  fields: Record<string, string | string[]>,
  action = formPage,
  location?: string | RegExp,
): Promise<string> {
  return expectRedirect(await client.submit(formPage, action, fields), location);
}

/** The id at the end of a /manage/events/:id (or similar) location. */
export function idIn(location: string, pattern: RegExp = /\/manage\/events\/(\d+)/): number {
  const m = pattern.exec(location);
  assert.ok(m, `no id in ${location}`);
  return Number(m[1]);
}

/** Text of an HTML page without tags, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Fails with the page's text when `needle` is missing. */
export function assertShows(html: string, needle: string): void {
  const text = visibleText(html);
  assert.ok(text.includes(needle), `expected the page to show ${JSON.stringify(needle)}; it shows:\n${text.slice(0, 3000)}`);
}

/** The rendered value of the input named `name` (attribute order as the form components write it). */
export function inputValue(html: string, name: string): string | undefined {
  const escaped = name.replace(/[[\]().]/g, (c) => `\\${c}`);
  const m = new RegExp(`<input[^>]*name="${escaped}"[^>]*value="([^"]*)"`).exec(html);
  return m?.[1];
}

/** Row counts of the tables the back office writes: equal before and after means nothing was written. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [
    'communities',
    'events',
    'rooms',
    'tracks',
    'speakers',
    'sponsors',
    'sessions',
    'event_hosts',
    'role_grants',
    'invitations',
    'audit_log',
    'webhooks',
    'webhook_deliveries',
    'schedule_releases',
    'mail_outbox',
  ] as const) {
    out[t] = Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  out.checkedIn = Number(
    (
      await db
        .selectFrom('rsvps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('checked_in_at', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const versions = await db.selectFrom('events').select(['id', 'version']).orderBy('id').execute();
  for (const v of versions) out[`event${v.id}.version`] = Number(v.version);
  return out;
}
