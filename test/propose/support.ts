import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import type { ManageClient, TokenHolder } from '../api-manage/support.js';
import { createTestUser } from '../factories/users.js';

/*
 * The event "Propose a programme" tests share (Europe/Amsterdam, 2027-04-15 and 16; 10:00 local is
 * 08:00Z), built through the organizer API like an organizer would, plus what only a database
 * holds directly (an accepted proposal without a session, interest votes, sign-ups):
 *   rooms   Hall (100 seats), Side (20, open 10:00–16:00 on the 15th), Lab (10; blocked 15:00–16:00 on the 15th)
 *   hours   the event 09:00–18:00 on the 15th, 09:00–17:00 on the 16th
 *   15th    Keynote (Hall 09:00–09:30, Ada), One (T1 talk, Hall 10:00, Ada), Two (T2 talk, Side 10:00, Grace),
 *           Three (T1 workshop, Lab 11:00–12:00, Grace; 12 sign-ups), Lunch (meal, every room, 12:00–13:00),
 *           Four (T2 talk, off the grid, Linus)
 *   16th    Five (T1 talk, Hall 10:00, Linus)
 *   Ada     available 08:00–12:00 on the 15th only
 *   New     an accepted proposal (T2, 30 min) by Ada's account, without a session
 */

export const M = '/api/v1/manage';

export interface ProposeFixture {
  readonly E: number;
  readonly ids: Record<string, number>;
}

export async function buildProposeFixture(api: ManageClient, db: Db, owner: TokenHolder, slug = 'opt-2027'): Promise<ProposeFixture> {
  const post = async (path: string, json: unknown, status = 201) => {
    const r = await api.post(`${M}${path}`, { token: owner.token, json });
    assert.equal(r.status, status, r.text);
    return r.body?.data?.id as number;
  };
  const c = await post('/communities', { slug: `${slug}-c`, name: 'Opt' });
  const E = await post('/events', {
    communityId: c,
    slug,
    kind: 'conference',
    title: 'Opt 2027',
    timeZone: 'Europe/Amsterdam',
    startDate: '2027-04-15',
    endDate: '2027-04-16',
  });
  const ids: Record<string, number> = {};
  ids.hall = await post(`/events/${E}/rooms`, { name: 'Hall', capacity: 100 });
  ids.side = await post(`/events/${E}/rooms`, { name: 'Side', capacity: 20 });
  ids.lab = await post(`/events/${E}/rooms`, { name: 'Lab', capacity: 10 });
  ids.T1 = await post(`/events/${E}/tracks`, { name: 'T1' });
  ids.T2 = await post(`/events/${E}/tracks`, { name: 'T2' });
  const ada = await createTestUser(db, { email: `ada.${slug}@example.org`, displayName: 'Ada' });
  ids.adaUser = ada.id;
  ids.ada = await post(`/events/${E}/speakers`, { name: 'Ada' });
  await db.updateTable('speakers').set({ user_id: ada.id }).where('id', '=', ids.ada).execute();
  ids.grace = await post(`/events/${E}/speakers`, { name: 'Grace' });
  ids.linus = await post(`/events/${E}/speakers`, { name: 'Linus' });
  const session = (title: string, kind: string, trackId: number | null, roomId: number | null, start: string, durationMinutes: number, speakerIds: number[]) =>
    post(`/events/${E}/sessions`, { kind, title, trackId, roomId, start, durationMinutes, speakerIds });
  ids.keynote = await session('Keynote', 'keynote', null, ids.hall, '2027-04-15T09:00', 30, [ids.ada]);
  ids.one = await session('One', 'talk', ids.T1, ids.hall, '2027-04-15T10:00', 30, [ids.ada]);
  ids.two = await session('Two', 'talk', ids.T2, ids.side, '2027-04-15T10:00', 30, [ids.grace]);
  ids.three = await session('Three', 'workshop', ids.T1, ids.lab, '2027-04-15T11:00', 60, [ids.grace]);
  ids.lunch = await session('Lunch', 'meal', null, null, '2027-04-15T12:00', 60, []);
  ids.four = await session('Four', 'talk', ids.T2, ids.side, '2027-04-15T14:00', 30, [ids.linus]);
  ids.five = await session('Five', 'talk', ids.T1, ids.hall, '2027-04-16T10:00', 30, [ids.linus]);
  const version = async () => Number((await db.selectFrom('events').select('version').where('id', '=', E).executeTakeFirstOrThrow()).version);
  const off = await api.post(`${M}/events/${E}/schedule/moves`, {
    token: owner.token,
    json: { action: 'unschedule', sessionId: ids.four, baseVersion: await version() },
  });
  assert.equal(off.status, 200, off.text);
  const put = async (path: string, json: unknown) => {
    const r = await api.put(`${M}${path}`, { token: owner.token, json });
    assert.equal(r.status, 200, r.text);
  };
  await put(`/events/${E}/schedule/hours`, {
    roomId: null,
    windows: [
      { day: '2027-04-15', from: '09:00', to: '18:00' },
      { day: '2027-04-16', from: '09:00', to: '17:00' },
    ],
  });
  await put(`/events/${E}/schedule/hours`, { roomId: ids.side, windows: [{ day: '2027-04-15', from: '10:00', to: '16:00' }] });
  await post(`/events/${E}/schedule/blockers`, { roomId: ids.lab, title: 'Cleaning', start: '2027-04-15T15:00', durationMinutes: 60 });
  await put(`/events/${E}/speakers/${ids.ada}/availability`, { windows: [{ day: '2027-04-15', from: '08:00', to: '12:00' }] });
  const now = '2027-03-01T12:00:00Z';
  const proposal = await db
    .insertInto('proposals')
    .values({
      event_id: E,
      code: `NEW${slug.length}`,
      state: 'accepted',
      title: 'New',
      kind: 'talk',
      duration_minutes: 30,
      abstract: 'A new talk.',
      track_id: ids.T2,
      submitted_by: ada.id,
      session_id: null,
      created_at: now,
      updated_at: now,
      decided_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.proposal = proposal.id;
  await db
    .insertInto('proposal_speakers')
    .values({
      proposal_id: proposal.id,
      position: 0,
      email: `ada.${slug}@example.org`,
      user_id: ada.id,
      status: 'accepted',
      token_hash: null,
      invited_at: null,
    })
    .execute();
  // Twelve people going to the workshop.
  for (let i = 0; i < 12; i++) {
    const u = await createTestUser(db, { email: `going${i}.${slug}@example.org` });
    await db
      .insertInto('session_signups')
      .values({ session_id: ids.three, event_id: E, user_id: u.id, status: 'going', waitlist_seq: null, promoted_at: null, created_at: now, updated_at: now })
      .execute();
  }
  return { E, ids };
}

/** Anonymous interest-poll voters, each wanting the given talks (session ids, or { proposal: id }). */
export async function addVotes(db: Db, eventId: number, voters: ReadonlyArray<ReadonlyArray<number | { proposal: number }>>): Promise<void> {
  const now = '2027-03-01T12:00:00Z';
  for (const wanted of voters) {
    const v = await db
      .insertInto('interest_voters')
      .values({ event_id: eventId, user_id: null, token_hash: randomBytes(16).toString('hex'), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const w of wanted) {
      await db
        .insertInto('interest_picks')
        .values({
          voter_id: v.id,
          session_id: typeof w === 'number' ? w : null,
          proposal_id: typeof w === 'number' ? null : w.proposal,
          created_at: now,
        })
        .execute();
    }
  }
}

/** A count of what the draft and the runs hold: equal before and after means nothing was written. */
export async function draftFingerprint(db: Db, eventId: number): Promise<string> {
  const sessions = await db
    .selectFrom('sessions')
    .select(['id', 'room_id', 'starts_at', 'placed', 'pinned', 'sequence'])
    .where('event_id', '=', eventId)
    .orderBy('id')
    .execute();
  const runs = await db.selectFrom('optimizer_runs').select(['id', 'status']).where('event_id', '=', eventId).orderBy('id').execute();
  const e = await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow();
  return JSON.stringify({ sessions, runs, version: Number(e.version) });
}
