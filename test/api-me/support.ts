import assert from 'node:assert/strict';
import { before } from 'node:test';
import type { Db } from '../../src/db/database.js';
import { tokenFor, useManageApp, type ManageClient, type TokenHolder } from '../api-manage/support.js';
import type { RunningApp } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';

export const M = '/api/v1/manage';
export const ME = '/api/v1/me';

let n = 0;

/** useManageApp plus `owner`, an organizer who sets events up through the API. */
export function useRegistrationApi(database: TestDatabase): { app: RunningApp; api: ManageClient; db: Db; owner: TokenHolder } {
  const env = useManageApp(database) as { app: RunningApp; api: ManageClient; db: Db; owner: TokenHolder };
  before(async () => {
    env.owner = await organizer(env.db);
  });
  return env;
}

/** A token holder who organises a fresh community (owner), for setting up events through the API. */
export async function organizer(db: Db): Promise<TokenHolder> {
  return tokenFor(db, `Organizer ${++n}`, { mayCreateCommunities: true });
}

/**
 * A published meetup created through the organizer API (community included), with `capacity`
 * seats; on 2027-04-15 in Amsterdam unless `dates` says otherwise. Returns its id and slug.
 */
export async function publishedMeetup(
  api: ManageClient,
  owner: TokenHolder,
  slug: string,
  options: { capacity?: number | null; dates?: [string, string] } = {},
): Promise<{ id: number; slug: string; communityId: number }> {
  const ok = (r: { status: number; text: string; body: any }) => {
    assert.ok(r.status < 300, r.text);
    return r.body;
  };
  const community = ok(await api.post(`${M}/communities`, { token: owner.token, json: { slug: `${slug}-group`, name: `${slug} group` } })).data.id as number;
  const [startDate, endDate] = options.dates ?? ['2027-04-15', '2027-04-15'];
  const id = ok(
    await api.post(`${M}/events`, {
      token: owner.token,
      json: { communityId: community, slug, kind: 'meetup', title: `${slug} meetup`, timeZone: 'Europe/Amsterdam', startDate, endDate },
    }),
  ).data.id as number;
  ok(await api.post(`${M}/events/${id}/publish`, { token: owner.token }));
  if (options.capacity !== undefined)
    ok(await api.put(`${M}/events/${id}/registration/capacity`, { token: owner.token, json: { capacity: options.capacity } }));
  return { id, slug, communityId: community };
}

/** Attendees with verified addresses and their own tokens. */
export async function people(db: Db, count: number, prefix = 'Attendee'): Promise<TokenHolder[]> {
  const out: TokenHolder[] = [];
  for (let i = 0; i < count; i++) out.push(await tokenFor(db, `${prefix} ${++n}`));
  return out;
}
