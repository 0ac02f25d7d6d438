import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Db } from '../../src/db/database.js';
import type { Clock } from '../../src/lib/clock.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { decideProposal } from '../../src/modules/cfp/decision.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { applyScheduleMove } from '../../src/modules/planning/move.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { newActor, organizerWithEvent } from '../program/support.js';

/*
 * A small conference for the editor's browser tests (2027-04-15/16, Europe/Amsterdam): three
 * rooms, two tracks, sessions on the 15th, one session off the grid and one accepted proposal.
 * Everything is written through the actions with the test's clock.
 */

export interface EditorFixture {
  readonly actor: Actor;
  readonly eventId: number;
  readonly rooms: { hall: number; side: number; annex: number };
  readonly sessions: { opening: number; busy: number; unplaced: number; other: number };
  readonly proposal: number;
}

export async function editorFixture(db: Db, clock: Clock, slug: string): Promise<EditorFixture> {
  const { actor, event } = await organizerWithEvent(db, slug);
  const ctx = { db, clock };
  const hall = (await createRoom(ctx, actor, event.id, { name: 'Hall', capacity: 200 })).id;
  const side = (await createRoom(ctx, actor, event.id, { name: 'Side', capacity: 40 })).id;
  const annex = (await createRoom(ctx, actor, event.id, { name: 'Annex', capacity: 20 })).id;
  const web = (await createTrack(ctx, actor, event.id, { name: 'Web', color: '#1f77b4' })).id;
  const data = (await createTrack(ctx, actor, event.id, { name: 'Data', color: '#2ca02c' })).id;
  const ada = (await createSpeaker(ctx, actor, event.id, { name: 'Ada Lovelace' })).id;
  const grace = (await createSpeaker(ctx, actor, event.id, { name: 'Grace Hopper' })).id;
  const session = async (title: string, roomId: number, start: string, trackId: number, speakerIds: number[]) =>
    (await createSession(ctx, actor, event.id, { kind: 'talk', title, roomId, start, durationMinutes: 30, trackId, speakerIds })).id;
  const opening = await session('Opening', hall, '2027-04-15T10:00', web, [ada]);
  const busy = await session('Busy slot', side, '2027-04-15T11:00', data, [grace]);
  const other = await session('Other track talk', annex, '2027-04-15T16:00', data, []);
  const unplaced = await session('Waiting talk', hall, '2027-04-16T09:00', web, []);
  const version = Number((await db.selectFrom('events').select('version').where('id', '=', event.id).executeTakeFirstOrThrow()).version);
  await applyScheduleMove(ctx, actor, event.id, { action: 'unschedule', sessionId: unplaced, baseVersion: version });

  const cfp = { config: { baseUrl: 'http://hallway.test', smtpUrl: undefined, database: { kind: 'sqlite' as const, filename: ':memory:' } }, clock };
  await saveCfpSettings(db, cfp, actor, event.id, {
    opensAt: '2027-02-01T09:00',
    closesAt: '2027-03-15T23:59',
    formats: [{ kind: 'talk', durationMinutes: 45 }],
  });
  const speaker = await newActor(db, 'Proposing Person');
  const proposal = (await submitProposal(db, cfp, speaker, event.id, { title: 'Proposed deep dive', kind: 'talk', abstract: 'Deep.', trackId: web })).id;
  await decideProposal(db, cfp, actor, event.id, proposal, { decision: 'accept' });
  return { actor, eventId: event.id, rooms: { hall, side, annex }, sessions: { opening, busy, unplaced, other }, proposal };
}

/** A session as stored: room, local start in Amsterdam, duration, whether it is on the grid. */
export async function stored(db: Db, sessionId: number) {
  const s = await db
    .selectFrom('sessions')
    .select(['room_id', 'starts_at', 'duration_minutes', 'placed'])
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
  const local = new Date(Date.parse(s.starts_at) + 2 * 3600_000).toISOString().slice(0, 16); // April: CEST, UTC+2
  return { roomId: s.room_id, start: local, duration: s.duration_minutes, placed: s.placed === 1 };
}

/** Opens the editor for a day and waits until its script took over. */
export async function openEditor(page: Page, url: string, eventId: number, query = 'day=2027-04-15'): Promise<void> {
  await page.goto(`${url}/manage/events/${eventId}/schedule?${query}`);
  await page.waitForSelector('[data-schedule-editor][data-ready]');
  // The grid at the top of the window: 08:00 to about 18:00 of it in view, where the drags happen.
  await page.evaluate(() => document.querySelector('.ed-scroll')?.scrollIntoView({ block: 'start', behavior: 'instant' }));
}

/** The point of a grid cell: the middle of `roomId`'s column, in the row of local `hhmm` (the page's grain). */
export async function cellPoint(page: Page, roomId: number, hhmm: string): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ roomId, hhmm }) => {
      const grid = document.querySelector('.ed-grid') as HTMLElement;
      const room = grid.querySelector(`.ed-room[data-room="${roomId}"]`) as HTMLElement;
      const timecol = grid.querySelector('.ed-timecol') as HTMLElement;
      const rows = Number(grid.dataset.rows);
      const from = Number(grid.dataset.from);
      const grain = Number((document.querySelector('[data-schedule-editor]') as HTMLElement).dataset.grain);
      const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
      const r = room.getBoundingClientRect();
      const t = timecol.getBoundingClientRect();
      const rowH = t.height / rows;
      return { x: r.left + r.width / 2, y: t.top + ((minutes - from) / grain + 0.5) * rowH };
    },
    { roomId, hhmm },
  );
}

/** Drags with the mouse (pointer events) from a point to a point, in steps, as a person does. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 3, from.y + 6, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

/** The top-left corner (a few pixels in) of an element, where a drag picks it up by its first row. */
export async function grabPoint(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is on the page`);
  return { x: box.x + Math.min(20, box.width / 2), y: box.y + 4 };
}

/** Runs `act`, then waits until the editor reports the outcome of a save (saved or refused); returns it. */
export async function outcomeOf(page: Page, act: () => Promise<void>): Promise<{ state: string; text: string }> {
  const before = await page.locator('.ed-status').textContent();
  await act();
  await page.waitForFunction(
    (b) => {
      const s = document.querySelector('.ed-status') as HTMLElement;
      return s.textContent !== b && ['ok', 'warning', 'error'].includes(s.dataset.state ?? '');
    },
    before,
    { timeout: 10_000 },
  );
  const s = page.locator('.ed-status');
  return { state: (await s.getAttribute('data-state')) ?? '', text: (await s.textContent()) ?? '' };
}
