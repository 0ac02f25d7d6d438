import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { largeEvent } from '../../src/modules/schedule/demo/large-event.js';
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
