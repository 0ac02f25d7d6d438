import type { Db } from '../../src/db/database.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { WebClient } from '../support/web-client.js';

/** The page's text with the entities our escaping writes turned back (for readable assertions). */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Two published conferences (2027-04-15/16 and 2027-05-20, Europe/Amsterdam). */
export const docs = [
  buildEventDoc({ slug: 'regconf-2027' }),
  buildEventDoc({ slug: 'other-2027', event: { title: 'Other 2027', startDate: '2027-05-20', endDate: '2027-05-20' }, sessions: [] }),
];

export async function eventIdOf(db: Db, slug: string): Promise<number> {
  return (await db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

let n = 0;

/** A signed-in web client for a new verified user. */
export async function person(
  db: Db,
  baseUrl: string,
  name: string,
  grants: Parameters<typeof createTestUser>[1]['grants'] = [],
): Promise<{ user: TestUser; web: WebClient }> {
  const user = await createTestUser(db, { email: `${name.toLowerCase()}.${++n}@example.org`, displayName: name, grants });
  return { user, web: WebClient.signedIn(baseUrl, user.sessionCookie) };
}

/** The ticket token shown on a person's ticket page. */
export async function ticketTokenOf(web: WebClient, slug: string): Promise<string> {
  const html = await (await web.get(`/events/${slug}/ticket`)).text();
  const m = /<code>(t\.[^<]+)<\/code>/.exec(html);
  if (!m) throw new Error('no ticket token on the page');
  return m[1]!;
}

export async function rsvpRow(db: Db, eventId: number, userId: number) {
  return db.selectFrom('rsvps').selectAll().where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
}
