import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { largeEvent } from '../../src/modules/demo/large-event.js';
import type { ProgramSnapshot } from '../../src/modules/schedule/snapshot.js';
import { renderSchedulePage } from '../../src/web/public/schedule.js';
import { elementsWithClass } from './support.js';
import { hasOwnPage } from '../../src/web/components/session-bits.js';

/**
 * A FOSDEM-scale day (60 rooms, ~480 sessions) renders completely in both views. Speed is measured
 * by `npm run bench` (docs/benchmarks.md), never here.
 */
describe('schedule of a FOSDEM-scale event', () => {
  let app: RunningApp;
  let snap: ProgramSnapshot;
  const doc = largeEvent();

  before(async () => {
    app = await startTestApp({ docs: [doc], renderCacheEntries: 0 });
    snap = await app.hallway.ctx.snapshots.published(doc.event.slug);
  });
  after(async () => {
    await app?.close();
  });

  test('the grid and the list of a 60-room day show every session of that day', () => {
    const day = snap.days[0]!;
    const sessions = snap.sessionsByDay.get(day)!.length;
    assert.ok(sessions >= 400 && snap.rooms.length >= 60, `a FOSDEM-sized day: ${sessions} sessions, ${snap.rooms.length} rooms`);
    const grid = renderSchedulePage(snap, day, 'grid');
    assert.equal(elementsWithClass(grid, 'div', 'slot').length, sessions, 'every session of the day is in the grid');
    const list = renderSchedulePage(snap, day, 'list');
    const linked = snap.sessionsByDay.get(day)!.filter(hasOwnPage);
    assert.ok(linked.length > 300);
    for (const s of linked) {
      assert.ok(list.includes(`/sessions/${s.code}"`), `list links ${s.code}`);
    }
  });

  test('one track of a 60-room day is a grid of just the rooms that track uses, with every session of the track', () => {
    const day = snap.days[0]!;
    const sessions = snap.sessionsByDay.get(day)!;
    const track = snap.tracks.find((t) => sessions.some((s) => s.trackId === t.id))!;
    const ofTrack = sessions.filter((s) => s.trackId === track.id);
    const rooms = new Set(ofTrack.map((s) => s.roomId));
    assert.ok(rooms.size < snap.rooms.length / 4, `a devroom-sized track: ${rooms.size} rooms`);
    const html = renderSchedulePage(snap, day, 'grid', track);
    const shown = elementsWithClass(html, 'div', 'slot');
    for (const s of ofTrack) assert.ok(html.includes(`/sessions/${s.code}"`), `the grid has ${s.code}`);
    assert.ok(shown.length < sessions.length / 4, `only the track's sessions: ${shown.length} of ${sessions.length}`);
    // Room-less breaks add no column; every room the track uses does.
    const columns = elementsWithClass(html, 'div', 'g-room').length;
    assert.equal(columns, [...rooms].filter((r) => r !== null).length, `a column per room of the track, not all ${snap.rooms.length}`);
  });

  test('with the render cache off, every request is rendered afresh and still answers 304 to its ETag', async () => {
    const path = `/events/${doc.event.slug}/schedule?day=${snap.days[1]}`;
    const first = await app.get(path);
    await first.text();
    assert.equal(first.headers.get('x-cache'), 'miss');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await app.get(path, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });
});
