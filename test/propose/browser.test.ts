import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { fixedClock } from '../../src/lib/clock.js';
import { ManageClient, tokenFor, type TokenHolder } from '../api-manage/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';
import { openEditor, outcomeOf } from '../schedule-editor/support.js';
import { addVotes, buildProposeFixture, type ProposeFixture } from './support.js';

/**
 * "Propose a programme" in Debian's Chromium (issue 14): pin a session with the mouse and with
 * the keyboard in the editor, follow the link to the propose form, start the real optimizer, watch
 * the run page turn into the proposal (diff and explanations side by side), accept it, and find the
 * sessions where the proposal put them in the editor. Every page is axe-clean; every step is
 * checked in the database too.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('Propose a programme in a browser', { skip: browserSkipReason }, () => {
  const clock = fixedClock('2027-03-01T12:00:00Z');
  let app: RunningApp;
  let owner: TokenHolder;
  let f: ProposeFixture;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    app = await startTestApp({ clock });
    owner = await tokenFor(app.db, 'Olga Organizer', { mayCreateCommunities: true });
    f = await buildProposeFixture(new ManageClient(app), app.db, owner, 'opt-browser-2027');
    // Five people want both One and Two, which the draft has at the same time.
    await addVotes(app.db, f.E, [...Array.from({ length: 5 }, () => [f.ids.one!, f.ids.two!]), [f.ids.two!, { proposal: f.ids.proposal! }]]);
    browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    await browser.context.addCookies([{ name: 'hallway_session', value: owner.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const pinned = async (id: number) => (await app.db.selectFrom('sessions').select('pinned').where('id', '=', id).executeTakeFirstOrThrow()).pinned === 1;

  test('pins: the Pin button with the mouse, P on a selected session with the keyboard, each announced', async () => {
    await openEditor(page, app.url, f.E);
    await assertAxeClean(page, 'the schedule editor with pin buttons');
    const pin = page.getByRole('button', { name: /^Pin Two where it is/ });
    const clicked = await outcomeOf(page, () => pin.click());
    assert.notEqual(clicked.state, 'error', clicked.text);
    assert.match(clicked.text, /Pinned "Two" where it is: saved/);
    assert.equal(await pinned(f.ids.two!), true);
    await page.waitForSelector(`#session-${f.ids.two} .ed-pinned`);
    assert.equal(await page.getByRole('button', { name: /^Unpin Two/ }).count(), 1);

    await page.locator(`#session-${f.ids.one} .ed-handle`).focus();
    const keyed = await outcomeOf(page, () => page.keyboard.press('p'));
    assert.notEqual(keyed.state, 'error', keyed.text);
    assert.equal(await pinned(f.ids.one!), true);
    const again = await outcomeOf(page, () => page.keyboard.press('p'));
    assert.match(again.text, /Unpinned "One"/);
    assert.equal(await pinned(f.ids.one!), false);
  });

  test('from the editor: propose, follow the run, see the diff and explanations, accept, see the sessions moved', async () => {
    await openEditor(page, app.url, f.E);
    await page.getByRole('link', { name: 'Propose a programme' }).click();
    await page.waitForSelector('form.propose-form');
    await assertAxeClean(page, 'the propose form');
    await page.getByLabel('Search for (seconds)').fill('2');
    await page.getByRole('button', { name: 'Propose a programme' }).click();
    // The run page follows the worker by itself and shows the proposal when it is done.
    await page.waitForSelector('.propose-run[data-status="done"]', { timeout: 20_000 });
    await assertAxeClean(page, 'a proposal with its changes and explanations');
    const run = await app.db.selectFrom('optimizer_runs').selectAll().where('event_id', '=', f.E).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(run.status, 'done');
    const table = page.locator('.propose-why table').first();
    assert.match((await table.textContent()) ?? '', /Current draft.*Proposal/s);
    assert.match((await table.textContent()) ?? '', /Preferences that can be attended/);
    const proposal = JSON.parse(run.proposal!);
    const baseline = JSON.parse(run.baseline);
    assert.ok(baseline.score.missed >= 5, 'the draft makes five people miss One or Two');
    assert.ok(proposal.score.missed < baseline.score.missed, 'the proposal does better');
    assert.match((await page.locator('.propose-conflicts').first().textContent()) ?? '', /5 people want both “One” and “Two”/);
    const diff = (await page.locator('.propose-diff').textContent()) ?? '';
    assert.match(diff, /Newly placed/);
    assert.match(diff, /New/, 'the accepted proposal gets a place');
    assert.doesNotMatch((await page.locator('.propose-diff table').first().textContent()) ?? '', /Two|Keynote/, 'pinned sessions and keynotes do not move');

    await page.getByRole('button', { name: 'Accept into the draft' }).click();
    await page.waitForSelector('[data-schedule-editor][data-ready]');
    assert.match((await page.locator('.notice').textContent()) ?? '', /accepted into the draft: \d+ sessions? moved, 2 placed/);
    const p = await app.db.selectFrom('proposals').select('session_id').where('id', '=', f.ids.proposal!).executeTakeFirstOrThrow();
    assert.ok(p.session_id);
    // Every placement of the proposal is in the draft, and the editor shows the day's sessions there.
    for (const pl of proposal.placements as Array<{ key: string; roomId: number }>) {
      const id: number = pl.key.startsWith('s') ? Number(pl.key.slice(1)) : p.session_id!;
      const s = await app.db.selectFrom('sessions').select(['room_id', 'placed', 'starts_at']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(s.room_id, pl.roomId, pl.key);
      assert.equal(s.placed, 1, pl.key);
      if (s.starts_at.startsWith('2027-04-15')) assert.equal(await page.locator(`#session-${id}`).count(), 1, `${pl.key} on the grid of the 15th`);
    }
    await assertAxeClean(page, 'the editor after accepting');
  });
});
