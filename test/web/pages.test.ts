import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { fixedClock } from '../../src/lib/clock.js';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { attr, buildEdgeDoc, buildMeetupDoc, buildRunningDoc, classesOf, elementsWithClass, programmeToday, startTags, visibleText } from './support.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** Fails with the page's text when `needle` is missing, so a failure says what was rendered instead. */
function assertShows(text: string, needle: string, what = needle): void {
  assert.ok(text.includes(needle), `expected the page to show ${JSON.stringify(what)}; it shows:\n${text.slice(0, 3000)}`);
}

function assertInOrder(text: string, needles: readonly string[]): void {
  let from = 0;
  for (const n of needles) {
    const i = text.indexOf(n, from);
    assert.ok(i >= 0, `expected ${JSON.stringify(n)} after position ${from} (order ${needles.join(' < ')}) in:\n${text.slice(0, 3000)}`);
    from = i + n.length;
  }
}

/** The schedule's grid items (class "slot"), each with its visible text and classes. */
function slots(html: string): Array<{ text: string; classes: string[]; html: string }> {
  return elementsWithClass(html, 'div', 'slot').map((h) => ({ text: visibleText(h), classes: classesOf(h), html: h }));
}

const pastDoc = () =>
  buildEventDoc({
    slug: 'oldconf-2020',
    event: { title: 'OldConf 2020', startDate: '2020-03-05', endDate: '2020-03-06', venue: { name: 'Old Venue', address: 'Oudestraat 2', url: null } },
    sessions: [{ code: 'old', kind: 'talk', title: 'An Old Talk', room: 'Main Hall', start: '2020-03-05T10:00', durationMinutes: 30, speakers: ['ada'] }],
  });
const hiddenDoc = () => buildEventDoc({ slug: 'hidden-2027', event: { title: 'Hidden Conf 2027', published: false } });

for (const database of testDatabases) {
  describe(`public pages on ${database.name}`, () => {
    let app: RunningApp;
    const page = async (path: string, init?: RequestInit) => {
      const res = await app.get(path, init);
      const html = await res.text();
      return { res, html, text: visibleText(html) };
    };

    // The app's "now": before the demo's March/April 2027 events, while NowConf runs.
    const clock = fixedClock('2027-01-20T12:00:00Z');

    before(async () => {
      app = await startTestApp({
        database,
        clock,
        docs: [buildEventDoc(), buildMeetupDoc(), pastDoc(), hiddenDoc(), buildEdgeDoc(), buildRunningDoc(clock.now())],
      });
    });
    after(async () => {
      await app?.close();
    });

    test('the home page lists each community with upcoming and past events, linked, with dates, venue and kind', async () => {
      const { res, html, text } = await page('/');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const links = startTags(html)
        .filter((t) => t.name === 'a')
        .map((t) => attr(t, 'href'));
      assert.ok(links.includes('/events/testconf-2027'), 'links to the event page');
      assert.ok(links.includes('/events/testmeetup-7'), 'links to the meetup page');
      assertInOrder(text, [
        'Test Community',
        'Upcoming',
        'TestConf 2027',
        'Conference',
        'Thu 15 – Fri 16 April 2027',
        'Test Venue',
        'Past',
        'OldConf 2020',
        'Old Venue',
      ]);
      assertInOrder(text, ['Test Meetups', 'Upcoming', 'Test Meetup #7', 'Meetup', 'Tue 9 March 2027', 'Hoster HQ']);
      assert.ok(!text.includes('Hidden Conf 2027'), 'an unpublished event is not listed');
    });

    test('the event page shows dates, zone, venue with address and link, counts, description, hosts and sponsors with their contribution', async () => {
      const { res, html, text } = await page('/events/testconf-2027');
      assert.equal(res.status, 200);
      assertShows(text, 'TestConf 2027');
      assertShows(text, 'Thu 15 – Fri 16 April 2027');
      assertShows(text, 'Times in Europe/Amsterdam (CEST)');
      assertShows(text, 'Test Venue');
      assertShows(text, 'Teststraat 1, 1011 AB Amsterdam');
      assertShows(text, 'A test conference.');
      // Sessions count talks, not the coffee break; speakers and rooms as in the document.
      assertShows(text, '4 sessions');
      assertShows(text, '3 speakers');
      assertShows(text, '2 rooms');
      assertInOrder(text, ['Sponsors', 'Gold', 'Coffee Corp', 'Coffee']);
      const hrefs = startTags(html)
        .filter((t) => t.name === 'a')
        .map((t) => attr(t, 'href'));
      assert.ok(hrefs.includes('/events/testconf-2027/schedule'), 'links to the schedule');
      assert.ok(hrefs.includes('/events/testconf-2027/speakers'), 'links to the speakers');
      assert.ok(hrefs.includes('https://coffee.example.org'), 'links to the sponsor');
    });

    test('a meetup page shows its capacity in seats, hosts with roles, venue link and code of conduct', async () => {
      const { html, text } = await page('/events/testmeetup-7');
      assertShows(text, '60 seats');
      assertShows(text, 'Tue 9 March 2027');
      assertShows(text, 'Times in Europe/Amsterdam (CET)');
      assertInOrder(text, ['Organised by', 'Test Meetups', 'Organizer', 'Hoster BV', 'Host']);
      assertInOrder(text, ['Gold', 'Pizza Palace', 'Pizza']);
      const links = startTags(html).filter((t) => t.name === 'a');
      const coc = links.find((t) => attr(t, 'href') === 'https://meetups.example.org/coc');
      assert.ok(coc, 'links to the code of conduct');
      assert.ok(
        links.some((t) => attr(t, 'href') === 'https://hoster.example.org'),
        'links to the venue',
      );
      assert.match(html, /<strong>pizza<\/strong>/, 'the description is rendered as Markdown');
    });

    test('the schedule grid shows day 1 by default, rooms in order, and none of day 2', async () => {
      const { res, html, text } = await page('/events/testconf-2027/schedule');
      assert.equal(res.status, 200);
      assertShows(text, 'Times in Europe/Amsterdam (CEST)');
      assertShows(text, 'Thursday 15 April 2027');
      const items = slots(html).map((s) => s.text);
      for (const title of ['Welcome', 'The Keynote', 'Coffee break', 'eBPF for Humans']) {
        assert.ok(
          items.some((t) => t.includes(title)),
          `day 1 grid has ${title}: ${items.join(' | ')}`,
        );
      }
      assert.ok(!text.includes('Day Two Opener'), 'day 2 sessions are not on day 1');
      const rooms = elementsWithClass(html, 'div', 'g-room').map(visibleText);
      assert.deepEqual(rooms, ['Main Hall', 'Side Room']);
      const keynote = slots(html).find((s) => s.text.includes('The Keynote'))!;
      assertInOrder(keynote.text, ['09:15–10:00', 'The Keynote', 'Grace Sample', 'Keynote', 'Platform']);
      const current = startTags(html)
        .filter((t) => t.name === 'a' && attr(t, 'aria-current') === 'page')
        .map((t) => attr(t, 'href'));
      assert.ok(current.includes('/events/testconf-2027/schedule?day=2027-04-15'), `day 1 is the current day: ${current.join(', ')}`);
    });

    test('?day=2027-04-16 shows day 2 and marks it current in the day switcher', async () => {
      const { html, text } = await page('/events/testconf-2027/schedule?day=2027-04-16');
      assertShows(text, 'Friday 16 April 2027');
      const items = slots(html).map((s) => s.text);
      assert.ok(
        items.some((t) => t.includes('Day Two Opener') && t.includes('Ada Example, Grace Sample')),
        items.join(' | '),
      );
      assert.ok(!items.some((t) => t.includes('The Keynote')), 'day 1 sessions are not on day 2');
      const current = startTags(html)
        .filter((t) => t.name === 'a' && attr(t, 'aria-current') === 'page')
        .map((t) => attr(t, 'href'));
      assert.ok(current.includes('/events/testconf-2027/schedule?day=2027-04-16'));
      assert.ok(!current.includes('/events/testconf-2027/schedule?day=2027-04-15'));
    });

    test('while an event is running its schedule opens on today, not on the first day', async () => {
      const today = programmeToday(clock.now());
      const { html, text } = await page('/events/nowconf/schedule');
      assertShows(text, 'All-day Hackathon');
      assert.ok(!text.includes('Yesterday Talk') && !text.includes('Tomorrow Talk'), 'only today is shown');
      const current = startTags(html)
        .filter((t) => t.name === 'a' && attr(t, 'aria-current') === 'page')
        .map((t) => attr(t, 'href'));
      assert.ok(current.includes(`/events/nowconf/schedule?day=${today}`), `today (${today}) is current: ${current.join(', ')}`);
      const home = visibleText((await page('/')).html);
      assertInOrder(home, ['Upcoming', 'NowConf', 'Past', 'OldConf 2020']);
    });

    test("?track=security shows that track's sessions and the shared break in the rooms they use; day and view links keep the track", async () => {
      const { html, text } = await page('/events/testconf-2027/schedule?track=security');
      const items = slots(html).map((s) => s.text);
      assert.ok(
        items.some((t) => t.includes('eBPF for Humans')),
        items.join(' | '),
      );
      assert.ok(
        items.some((t) => t.includes('Coffee break')),
        'the break everyone shares stays',
      );
      assert.ok(!items.some((t) => t.includes('The Keynote') || t.includes('Welcome')), `only Security and breaks: ${items.join(' | ')}`);
      assertShows(text, 'Schedule · TestConf 2027 · Security');
      // Only the room Security uses has a column: the break spans that one column.
      const coffee = slots(html).find((s) => s.text.includes('Coffee break'))!;
      assert.ok(coffee.classes.includes('gw1'), `the break spans the one room shown: ${coffee.classes.join(' ')}`);
      const hrefs = startTags(html)
        .filter((t) => t.name === 'a')
        .map((t) => attr(t, 'href'));
      assert.ok(hrefs.includes('/events/testconf-2027/schedule?day=2027-04-16&track=security'), 'the day switcher keeps the track');
      assert.ok(hrefs.includes('/events/testconf-2027/schedule?day=2027-04-15&view=list&track=security'), 'the view switcher keeps the track');
      assert.ok(hrefs.includes('/events/testconf-2027/schedule?day=2027-04-15'), 'a link back to all tracks on the same day');
      const selected = startTags(html)
        .filter((t) => t.name === 'option' && attr(t, 'selected') !== undefined)
        .map((t) => attr(t, 'value'));
      assert.deepEqual(selected, ['security'], 'the filter form shows the chosen track');

      const list = await page('/events/testconf-2027/schedule?day=2027-04-16&view=list&track=security');
      assertShows(list.text, 'Nothing in this track on this day.');
      assert.ok(!list.text.includes('Day Two Opener'));
    });

    test('the track filter form works without JavaScript: its empty choice is all tracks; an unknown track is a 404 naming it', async () => {
      const { html } = await page('/events/testconf-2027/schedule?day=2027-04-15');
      const form = startTags(html).find((t) => t.name === 'form' && (attr(t, 'class') ?? '').includes('track-filter'));
      assert.ok(form && attr(form, 'method') === 'get' && attr(form, 'action') === '/events/testconf-2027/schedule', 'a GET form to the schedule');
      const options = startTags(html)
        .filter((t) => t.name === 'option')
        .map((t) => attr(t, 'value'));
      assert.deepEqual(options, ['', 'platform', 'security']);
      const all = await page('/events/testconf-2027/schedule?day=2027-04-15&track=');
      assert.ok(slots(all.html).some((s) => s.text.includes('The Keynote')) && slots(all.html).some((s) => s.text.includes('eBPF for Humans')));
      const missing = await app.get('/events/testconf-2027/schedule?track=no-such-track');
      assert.equal(missing.status, 404);
      assert.match(visibleText(await missing.text()), /no track "no-such-track"/);
    });

    test('the coffee break is drawn as a break across both rooms, not as a talk', async () => {
      const { html } = await page('/events/testconf-2027/schedule');
      const coffee = slots(html).find((s) => s.text.includes('Coffee break'))!;
      assert.ok(coffee, 'the break is in the grid');
      assert.ok(coffee.classes.includes('svc'), `styled as a service item: ${coffee.classes.join(' ')}`);
      assert.ok(coffee.classes.includes('gc2') && coffee.classes.includes('gw2'), `starts at the first room and spans both: ${coffee.classes.join(' ')}`);
      assertShows(coffee.text, 'Break');
      assertShows(coffee.text, '10:00–10:30');
      const keynote = slots(html).find((s) => s.text.includes('The Keynote'))!;
      assert.ok(!keynote.classes.includes('svc') && keynote.classes.includes('gw1'), 'a talk stays in its one room');
    });

    test('a room-less break leaves the column of a workshop that runs through it; cancelled talks are struck through', async () => {
      const { html } = await page('/events/edgeconf-2027/schedule');
      const all = slots(html);
      const coffee = all.find((s) => s.text.includes('Coffee break'))!;
      assert.ok(coffee.classes.includes('gc2') && coffee.classes.includes('gw2'), `covers Main Hall and Side Room only: ${coffee.classes.join(' ')}`);
      assertShows(coffee.text, 'thanks to Coffee Corp');
      const workshop = all.find((s) => s.text.includes('Long Workshop'))!;
      assert.ok(workshop.classes.includes('gc4'), 'the workshop keeps the Lab column');
      const dropped = all.find((s) => s.text.includes('Dropped Talk'))!;
      assertShows(dropped.text, 'Cancelled');
      assert.match(dropped.html, /<s><a [^>]*>Dropped Talk<\/a><\/s>/);
    });

    test('the list view groups a day by start time, in time order', async () => {
      const { html, text } = await page('/events/testconf-2027/schedule?view=list');
      const groups = elementsWithClass(html, 'h3', 'timeslot-time').map(visibleText);
      assert.deepEqual(groups, ['09:00', '09:15', '10:00', '10:30']);
      assertInOrder(text, ['09:00', 'Welcome', '09:15', 'The Keynote', '10:00', 'Coffee break', '10:30', 'eBPF for Humans', 'Side Room']);
      const current = startTags(html)
        .filter((t) => t.name === 'a' && attr(t, 'aria-current') === 'page')
        .map((t) => attr(t, 'href'));
      assert.ok(current.includes('/events/testconf-2027/schedule?day=2027-04-15&view=list'), 'list is the current view');
    });

    test('the meetup agenda lists the evening in time order with speakers and the sponsor thanked', async () => {
      const { text } = await page('/events/testmeetup-7/schedule');
      assertShows(text, 'Times in Europe/Amsterdam (CET)');
      assertInOrder(text, [
        '18:00',
        'Doors open',
        '18:20',
        'Opening remarks',
        'Mia Meetup',
        '18:30',
        'First Talk',
        'Mia Meetup',
        '19:00',
        'Pizza break — thanks to Pizza Palace',
      ]);
    });

    test('the session page shows local times with the zone, speakers, room, track, language and a link back to its day', async () => {
      const { res, html, text } = await page('/events/testconf-2027/sessions/keynote');
      assert.equal(res.status, 200);
      assertShows(text, 'The Keynote');
      assertShows(text, 'Thu 15 April 2027, 09:15–10:00 CEST (Europe/Amsterdam)');
      assertShows(text, 'Main Hall');
      assertShows(text, 'Platform');
      assertShows(text, 'English');
      assertInOrder(text, ['Speaker', 'Grace Sample', 'CTO at Compilers Inc']);
      const hrefs = startTags(html)
        .filter((t) => t.name === 'a')
        .map((t) => attr(t, 'href'));
      assert.ok(hrefs.includes('/events/testconf-2027/speakers/grace'));
      assert.ok(hrefs.includes('/events/testconf-2027/schedule?day=2027-04-15'), 'links back to its day');
    });

    test('a session page shows its links, sponsor, level, language name and cancellation', async () => {
      const day2 = await page('/events/testconf-2027/sessions/day2');
      assert.ok(
        startTags(day2.html).some((t) => t.name === 'a' && attr(t, 'href') === 'https://slides.example.org/day2'),
        'links to the slides',
      );
      assertShows(day2.text, 'Links Slides');
      assert.ok(!day2.text.includes('Slides (Slides)'), 'a title that says the kind is not followed by it again');
      assertShows(day2.text, 'Fri 16 April 2027, 09:00–09:30 CEST (Europe/Amsterdam)');
      const sponsored = await page('/events/edgeconf-2027/sessions/sponsored');
      assertInOrder(sponsored.text, ['Language', 'Brazilian Portuguese', 'Level', 'Advanced', 'Sponsored by', 'Coffee Corp']);
      const dropped = await page('/events/edgeconf-2027/sessions/dropped');
      assertShows(dropped.text, 'Cancelled. This session will not take place as scheduled.');
    });

    test('the speakers page lists speakers with sessions alphabetically, with job title, company and session count', async () => {
      const { text } = await page('/events/testconf-2027/speakers');
      assertInOrder(text, [
        'Ada Example',
        'Staff Engineer at Analytical Ltd',
        '2 sessions',
        'Grace Sample',
        'CTO at Compilers Inc',
        '2 sessions',
        'Linus Case',
        'Maintainer at Kernel Co',
        '1 session',
      ]);
      const meetup = await page('/events/testmeetup-7/speakers');
      assertShows(meetup.text, 'Mia Meetup');
      const old = await page('/events/oldconf-2020/speakers');
      assert.ok(!old.text.includes('Grace Sample'), 'a speaker without sessions in this event is not listed');
    });

    test('the speaker page shows bio, profile links with rel="me" and their sessions with times', async () => {
      const { res, html, text } = await page('/events/testconf-2027/speakers/grace');
      assert.equal(res.status, 200);
      assertShows(text, 'Grace Sample');
      assertShows(text, 'CTO at Compilers Inc');
      assertShows(text, 'Grace builds compilers.');
      const mastodon = startTags(html).find((t) => t.name === 'a' && attr(t, 'href') === 'https://hachyderm.io/@grace');
      assert.ok(mastodon, 'links the Mastodon handle');
      assert.equal(attr(mastodon!, 'rel'), 'me noopener');
      assertShows(text, '@grace@hachyderm.io');
      assertInOrder(text, ['The Keynote', 'Thu 15 April 2027, 09:15–10:00', 'Day Two Opener', 'Fri 16 April 2027, 09:00–09:30']);
      const ada = await page('/events/testconf-2027/speakers/ada');
      assert.ok(startTags(ada.html).some((t) => t.name === 'a' && attr(t, 'href') === 'https://github.com/ada-example' && attr(t, 'rel') === 'me noopener'));
    });

    test('unknown events, sessions, speakers and days are 404 HTML pages; unpublished events too', async () => {
      for (const path of [
        '/events/no-such-event',
        '/events/no-such-event/schedule',
        '/events/testconf-2027/sessions/no-such-session',
        '/events/testconf-2027/speakers/no-such-speaker',
        '/events/oldconf-2020/speakers/grace', // a speaker of the event without a session in it
        '/events/testconf-2027/schedule?day=2030-01-01',
        '/events/hidden-2027',
        '/events/hidden-2027/schedule',
        '/events/hidden-2027/sessions/keynote',
        '/events/hidden-2027/speakers/grace',
        '/events/hidden-2027/theme.css',
      ]) {
        const { res, text } = await page(path);
        assert.equal(res.status, 404, path);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/, path);
        assertShows(text, 'Page not found', `"Page not found" for ${path}`);
        assert.ok(!text.includes('Hidden Conf 2027'), `${path} reveals nothing of the unpublished event`);
      }
    });

    test('every page is served with a CSP and has no inline style or script', async () => {
      for (const path of [
        '/',
        '/events/testconf-2027',
        '/events/testconf-2027/schedule',
        '/events/testconf-2027/schedule?view=list',
        '/events/testmeetup-7/schedule',
        '/events/testconf-2027/sessions/keynote',
        '/events/testconf-2027/speakers',
        '/events/testconf-2027/speakers/ada',
      ]) {
        const { res, html } = await page(path);
        assert.match(res.headers.get('content-security-policy') ?? '', /style-src 'self'/, path);
        const tags = startTags(html);
        assert.deepEqual(
          tags.filter((t) => attr(t, 'style') !== undefined).map((t) => t.name),
          [],
          `${path}: no style attributes`,
        );
        assert.deepEqual(tags.filter((t) => t.name === 'style').length, 0, `${path}: no <style> elements`);
        for (const s of tags.filter((t) => t.name === 'script')) assert.ok(attr(s, 'src')?.startsWith('/assets/'), `${path}: only same-origin script files`);
      }
    });

    test('track colours and grid placement come from stylesheets', async () => {
      const theme = await app.get('/events/testconf-2027/theme.css');
      assert.equal(theme.status, 200);
      assert.match(theme.headers.get('content-type') ?? '', /^text\/css/);
      const css = await theme.text();
      assert.match(css, /\.tk-platform\{--track:#1f77b4;/);
      assert.match(css, /\.tk-security\{--track:#d62728;/);
      const grid = await app.get('/assets/grid.css');
      const gridCss = await grid.text();
      const { html } = await page('/events/testconf-2027/schedule');
      for (const cls of new Set(
        slots(html)
          .flatMap((s) => s.classes)
          .filter((c) => /^g[rscw]\d+$/.test(c)),
      )) {
        assert.ok(gridCss.includes(`.${cls}{`), `grid.css defines .${cls}`);
      }
      const again = await app.get('/assets/grid.css', { headers: { 'If-None-Match': grid.headers.get('etag')! } });
      assert.equal(again.status, 304);
    });

    test('repeat requests get 304 with If-None-Match and are served from the render cache', async () => {
      const first = await app.get('/events/testconf-2027/schedule?day=2027-04-16');
      const etag = first.headers.get('etag');
      assert.ok(etag, 'has an ETag');
      await first.text();
      const second = await app.get('/events/testconf-2027/schedule?day=2027-04-16');
      assert.equal(second.headers.get('x-cache'), 'hit');
      assert.equal(await second.text(), await (await app.get('/events/testconf-2027/schedule?day=2027-04-16')).text());
      const revalidated = await app.get('/events/testconf-2027/schedule?day=2027-04-16', { headers: { 'If-None-Match': etag! } });
      assert.equal(revalidated.status, 304);
      assert.equal(await revalidated.text(), '');
    });

    test('after re-importing an edited document the pages show the change and the ETag changes', async () => {
      const before = await app.get('/events/testmeetup-7');
      const oldTag = before.headers.get('etag')!;
      assertShows(visibleText(await before.text()), 'Test Meetup #7');
      await importEventDocument(moduleContext(app.db), TEST_OPERATOR, buildMeetupDoc({ title: 'Test Meetup #7, renamed' }));
      const after = await app.get('/events/testmeetup-7', { headers: { 'If-None-Match': oldTag } });
      assert.equal(after.status, 200, 'the old ETag no longer matches');
      assert.notEqual(after.headers.get('etag'), oldTag);
      assertShows(visibleText(await after.text()), 'Test Meetup #7, renamed');
      const agenda = visibleText(await (await app.get('/events/testmeetup-7/schedule')).text());
      assertShows(agenda, 'Test Meetup #7, renamed');
      const home = visibleText(await (await app.get('/')).text());
      assertShows(home, 'Test Meetup #7, renamed');
    });
  });
}
