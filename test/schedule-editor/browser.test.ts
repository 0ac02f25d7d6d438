import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { fixedClock } from '../../src/lib/clock.js';
import { createTestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';
import { setSpeakerAvailability } from '../../src/modules/planning/availability.actions.js';
import { cellPoint, drag, editorFixture, grabPoint, openEditor, outcomeOf, stored, type EditorFixture } from './support.js';

/**
 * The schedule editor in Debian's Chromium with real input: pointer drags (mouse) from the
 * sidebar onto the grid, between rooms and times, on a session's lower edge; a refused double
 * booking with its message; the keyboard (pick up, arrows, drop) with what it announces; undo; two
 * organizers in two browsers seeing each other's moves; and axe-core on the page. Every check
 * reads the database as well as the page. The app runs on a fixed clock (the call for proposals
 * of the fixture is open on 2027-03-01).
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('schedule editor in a browser', { skip: browserSkipReason }, () => {
  const clock = fixedClock('2027-03-01T12:00:00Z');
  let app: RunningApp;
  let f: EditorFixture;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let cookie: string;

  before(async () => {
    app = await startTestApp({ clock });
    f = await editorFixture(app.db, clock, 'editor-conf');
    const user = await createTestUser(app.db, {
      email: 'planner@example.org',
      displayName: 'Pat Planner',
      grants: [{ scope: 'event', scopeId: f.eventId, role: 'organizer', trackIds: [] }],
    });
    cookie = user.sessionCookie;
    browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    await browser.context.addCookies([{ name: 'hallway_session', value: cookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const axe = (what: string) => assertAxeClean(page, what);

  test('the editor page is axe-clean, in the normal and the condensed mode', async () => {
    await openEditor(page, app.url, f.eventId);
    assert.equal(await page.locator('.ed-item').count(), 3, 'the three sessions of the 15th');
    assert.match((await page.locator('#ed-side-h').textContent()) ?? '', /Not placed \(2\)/);
    await axe('the schedule editor');
    await page.getByLabel('Condensed (many rooms)').check();
    await page.waitForSelector('.ed-condensed');
    await axe('the condensed schedule editor');
    await page.getByLabel('Condensed (many rooms)').uncheck();
  });

  test('a session dragged from the sidebar onto a slot is placed there', async () => {
    await openEditor(page, app.url, f.eventId);
    const from = await grabPoint(page, `.ed-card-handle[data-pool-kind="session"][data-pool-id="${f.sessions.unplaced}"]`);
    const to = await cellPoint(page, f.rooms.annex, '14:00');
    const result = await outcomeOf(page, () => drag(page, from, to));
    assert.equal(result.state, 'ok', result.text);
    assert.match(result.text, /Placed "Waiting talk" in Annex, 14:00: saved/);
    assert.deepEqual(await stored(app.db, f.sessions.unplaced), { roomId: f.rooms.annex, start: '2027-04-15T14:00', duration: 30, placed: true });
    assert.equal(await page.locator(`#session-${f.sessions.unplaced}`).count(), 1, 'on the grid now');
    assert.match((await page.locator('#ed-side-h').textContent()) ?? '', /Not placed \(1\)/);
  });

  test('an accepted proposal dragged onto the grid becomes a session', async () => {
    const from = await grabPoint(page, `.ed-card-handle[data-pool-kind="proposal"][data-pool-id="${f.proposal}"]`);
    const to = await cellPoint(page, f.rooms.side, '14:00');
    const result = await outcomeOf(page, () => drag(page, from, to));
    assert.equal(result.state, 'ok', result.text);
    const proposal = await app.db.selectFrom('proposals').select('session_id').where('id', '=', f.proposal).executeTakeFirstOrThrow();
    assert.ok(proposal.session_id);
    assert.deepEqual(await stored(app.db, proposal.session_id), { roomId: f.rooms.side, start: '2027-04-15T14:00', duration: 45, placed: true });
    await page.waitForSelector(`#session-${proposal.session_id}`);
    assert.match((await page.locator('#ed-side-h').textContent()) ?? '', /Not placed \(0\)/);
  });

  test('a session is moved to another room and time with the pointer, and resized by its lower edge', async () => {
    const from = await grabPoint(page, `#session-${f.sessions.opening} .ed-handle`);
    const to = await cellPoint(page, f.rooms.side, '12:00');
    const moved = await outcomeOf(page, () => drag(page, from, to));
    assert.equal(moved.state, 'ok', moved.text);
    assert.deepEqual(await stored(app.db, f.sessions.opening), { roomId: f.rooms.side, start: '2027-04-15T12:00', duration: 30, placed: true });

    // Its lower edge (the last few pixels) resizes it.
    const box = await page.locator(`#session-${f.sessions.opening}`).boundingBox();
    assert.ok(box);
    const edge = { x: box.x + box.width / 2, y: box.y + box.height - 3 };
    const target = await cellPoint(page, f.rooms.side, '12:45');
    const resized = await outcomeOf(page, () => drag(page, edge, { x: edge.x, y: target.y }));
    assert.equal(resized.state, 'ok', resized.text);
    assert.match(resized.text, /Changed "Opening" to 60 minutes: saved/);
    assert.deepEqual(await stored(app.db, f.sessions.opening), { roomId: f.rooms.side, start: '2027-04-15T12:00', duration: 60, placed: true });
  });

  test('a drop on a busy room is refused with its message, and nothing moves', async () => {
    const before = await stored(app.db, f.sessions.opening);
    const version = await eventVersion();
    const from = await grabPoint(page, `#session-${f.sessions.opening} .ed-handle`);
    const to = await cellPoint(page, f.rooms.side, '11:00');
    const result = await outcomeOf(page, () => drag(page, from, to));
    assert.equal(result.state, 'error');
    assert.match(result.text, /not saved\. The room is taken at that time: Side is taken by "Busy slot"/);
    assert.deepEqual(await stored(app.db, f.sessions.opening), before);
    assert.equal(await eventVersion(), version, 'nothing written');
    // Announced to screen readers: the live region is filled on the next animation frame.
    await page.waitForFunction(() => /Side is taken by "Busy slot"/.test(document.getElementById('ed-announce')!.textContent ?? ''));
  });

  test('the keyboard picks a session up, moves it one room and two rows, drops it, announcing each step; undo takes it back', async () => {
    await page.locator(`#session-${f.sessions.opening} .ed-handle`).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Picked up "Opening"/.test(document.getElementById('ed-announce')!.textContent ?? ''));
    assert.match((await page.locator('.ed-status').textContent()) ?? '', /12:00 to 13:00, Side\. Arrow keys move it by 15 minutes or one room/);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /12:00 to 13:00, Annex/.test(document.getElementById('ed-announce')!.textContent ?? ''));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => /12:30 to 13:30, Annex/.test(document.getElementById('ed-announce')!.textContent ?? ''));
    const dropped = await outcomeOf(page, () => page.keyboard.press('Enter'));
    assert.equal(dropped.state, 'ok', dropped.text);
    assert.match(dropped.text, /Moved "Opening" to Annex, 12:30: saved/);
    assert.deepEqual(await stored(app.db, f.sessions.opening), { roomId: f.rooms.annex, start: '2027-04-15T12:30', duration: 60, placed: true });
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.ed-item')?.id), `session-${f.sessions.opening}`, 'the focus stays on the session');

    // Escape puts it back where it was.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => /Cancelled: "Opening" stays where it was/.test(document.getElementById('ed-announce')!.textContent ?? ''));
    assert.equal(await page.locator('.ed-ghost').count(), 0);

    const undone = await outcomeOf(page, () => page.getByRole('button', { name: /^Undo: Moved "Opening" to Annex/ }).click());
    assert.equal(undone.state, 'ok', undone.text);
    assert.deepEqual(await stored(app.db, f.sessions.opening), { roomId: f.rooms.side, start: '2027-04-15T12:00', duration: 60, placed: true });
    const undoneAgain = await outcomeOf(page, () => page.keyboard.press('Control+z'));
    assert.match(undoneAgain.text, /Undo changed "Opening" to 60 minutes: saved/);
    assert.deepEqual(await stored(app.db, f.sessions.opening), { roomId: f.rooms.side, start: '2027-04-15T12:00', duration: 30, placed: true });
  });

  test('a session dragged onto "Not placed" leaves the grid, and the warning list links to what it names', async () => {
    const ada = await app.db.selectFrom('session_speakers').select('speaker_id').where('session_id', '=', f.sessions.opening).executeTakeFirstOrThrow();
    await setSpeakerAvailability({ db: app.db, clock }, f.actor, f.eventId, ada.speaker_id, { windows: [{ day: '2027-04-15', from: '09:00', to: '10:00' }] });
    await openEditor(page, app.url, f.eventId);
    const warning = page.locator('.ed-warning', { hasText: 'Speaker unavailable' });
    assert.match((await warning.textContent()) ?? '', /Ada Lovelace is not available during "Opening" \(12:00–12:30\); available Thu 15 Apr 09:00–10:00/);
    assert.equal(await page.locator(`#session-${f.sessions.opening}.ed-warned`).count(), 1, 'the session shows it too');
    await warning.getByRole('link', { name: 'Opening' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.ed-item')?.id), `session-${f.sessions.opening}`, 'the link leads to the session');

    await openEditor(page, app.url, f.eventId);
    const from = await grabPoint(page, `#session-${f.sessions.other} .ed-handle`);
    const side = await page.locator('.ed-pool').boundingBox();
    assert.ok(side);
    const off = await outcomeOf(page, () => drag(page, from, { x: side.x + side.width / 2, y: side.y + 10 }));
    assert.equal(off.state, 'ok', off.text);
    assert.equal((await stored(app.db, f.sessions.other)).placed, false);
    assert.equal(await page.locator(`#session-${f.sessions.other}`).count(), 0);
    assert.equal(await page.locator(`.ed-card[data-pool-id="${f.sessions.other}"]`).count(), 1);
  });

  test('a finger drags a session too (touch events, as on a tablet)', async () => {
    await openEditor(page, app.url, f.eventId);
    const from = await grabPoint(page, `#session-${f.sessions.unplaced} .ed-handle`);
    const to = await cellPoint(page, f.rooms.hall, '15:30');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    try {
      const result = await outcomeOf(page, async () => {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] });
        for (let i = 1; i <= 10; i++) {
          const x = from.x + ((to.x - from.x) * i) / 10;
          const y = from.y + ((to.y - from.y) * i) / 10;
          await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
        }
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      });
      assert.equal(result.state, 'ok', result.text);
      assert.deepEqual(await stored(app.db, f.sessions.unplaced), { roomId: f.rooms.hall, start: '2027-04-15T15:30', duration: 30, placed: true });
    } finally {
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
      await cdp.detach();
    }
  });

  test('two organizers in two browsers see each other’s moves without reloading', async () => {
    const second = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    try {
      const colleague = await createTestUser(app.db, {
        email: 'colleague@example.org',
        grants: [{ scope: 'event', scopeId: f.eventId, role: 'organizer', trackIds: [] }],
      });
      await second.context.addCookies([{ name: 'hallway_session', value: colleague.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
      const other = second.context.pages()[0] ?? (await second.context.newPage());
      await openEditor(other, app.url, f.eventId);
      await openEditor(page, app.url, f.eventId);
      const item = `#session-${f.sessions.busy}`;
      const sideColumn = await page.evaluate((sel) => (document.querySelector(sel) as HTMLElement).className.match(/\bgc\d+/)?.[0], item);
      const from = await grabPoint(page, `${item} .ed-handle`);
      const to = await cellPoint(page, f.rooms.hall, '15:00');
      const moved = await outcomeOf(page, () => drag(page, from, to));
      assert.equal(moved.state, 'ok', moved.text);
      const started = performance.now();
      // The colleague's grid follows (live notice, or its once-a-second look at the state endpoint).
      await other.waitForFunction(
        ({ sel, was }) => {
          const el = document.querySelector(sel);
          return el !== null && !el.classList.contains(was) && /15:00/.test(el.textContent ?? '');
        },
        { sel: item, was: sideColumn! },
        { timeout: 5000 },
      );
      const waited = performance.now() - started;
      assert.ok(waited < 3000, `the colleague saw the move after ${Math.round(waited)} ms`);

      // And the other way round: the colleague moves it back; this editor follows.
      const back = await outcomeOf(other, async () => drag(other, await grabPoint(other, `${item} .ed-handle`), await cellPoint(other, f.rooms.side, '11:00')));
      assert.equal(back.state, 'ok', back.text);
      await page.waitForFunction((sel) => /11:00/.test(document.querySelector(sel)?.textContent ?? ''), item, { timeout: 5000 });
      assert.deepEqual(await stored(app.db, f.sessions.busy), { roomId: f.rooms.side, start: '2027-04-15T11:00', duration: 30, placed: true });
    } finally {
      await second.close();
    }
  });

  test('without JavaScript the page shows the grid with links to the session forms, and places what is not placed', async () => {
    const noJs = await launchBrowser({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
    try {
      await noJs.context.addCookies([{ name: 'hallway_session', value: cookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
      const p = noJs.context.pages()[0] ?? (await noJs.context.newPage());
      await p.goto(`${app.url}/manage/events/${f.eventId}/schedule?day=2027-04-15`);
      const link = p.locator(`#session-${f.sessions.busy} a`);
      assert.equal(await link.getAttribute('href'), `/manage/events/${f.eventId}/sessions/${f.sessions.busy}`);
      await p.locator('summary', { hasText: 'Place without dragging' }).click();
      const form = p.getByRole('form', { name: 'Place a session or proposal' });
      await form.getByLabel('What', { exact: true }).selectOption({ label: 'Other track talk (30 min)' });
      await form.getByLabel('Room', { exact: true }).selectOption({ label: 'Hall' });
      await form.getByLabel(/^Start on/).fill('17:00');
      await form.getByRole('button', { name: 'Place', exact: true }).click();
      await p.waitForURL(/\/schedule\?day=2027-04-15$/);
      assert.match((await p.locator('.notice').textContent()) ?? '', /"Other track talk" placed at 17:00/);
      assert.deepEqual(await stored(app.db, f.sessions.other), { roomId: f.rooms.hall, start: '2027-04-15T17:00', duration: 30, placed: true });
    } finally {
      await noJs.close();
    }
  });

  async function eventVersion(): Promise<number> {
    return Number((await app.db.selectFrom('events').select('version').where('id', '=', f.eventId).executeTakeFirstOrThrow()).version);
  }
});
