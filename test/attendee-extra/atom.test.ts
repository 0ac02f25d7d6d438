import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, publishRecap, saveRecapDraft } from '../../src/modules/agenda/recap.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { moduleContext } from '../support/module-context.js';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)> and [a link](javascript:alert(3))';

interface AtomText {
  '#text': string;
  type: string;
}
interface AtomEntry {
  id: string;
  title: AtomText;
  updated: string;
  published: string;
  author: { name: string };
  link: { rel: string; type: string; href: string };
  summary?: AtomText;
  content: AtomText & { 'xml:base': string };
}

/** The recaps' Atom feed carries each recap's whole text as HTML content and is well-formed Atom 1.0. */
describe('recaps Atom feed with full content', () => {
  let app: RunningApp;
  const EV = '/events/testconf-2027';

  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc()] });
    const eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow()).id;
    const sessions = Object.fromEntries(
      (await app.db.selectFrom('sessions').select(['id', 'code']).where('event_id', '=', eventId).execute()).map((r) => [r.code, r.id]),
    );
    const user = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann & Co' });
    const ann = await actorOf(app.db, user.id);
    await saveNote(app.db, ann, eventId, sessions.keynote!, { body: `Loved **the demo**.\n\n${XSS}`, qa: 'Q: When?\nA: Soon.' });
    const draft = await createRecapDraft(moduleContext(app.db), ann, eventId);
    await saveRecapDraft(moduleContext(app.db), ann, draft.id, {
      title: 'Ann at TestConf',
      introduction: 'Two days of talks.',
      sections: draft.sections.map((s) => ({ sessionId: s.sessionId, notes: s.notes, qa: s.qa })),
    });
    await publishRecap(moduleContext(app.db), ann, draft.id, { slug: 'ann-at-testconf' });
  });
  after(() => app?.close());

  test('the feed validates structurally: feed id, title, updated, self and alternate links; each entry id, title, updated, author, alternate link', async () => {
    const res = await app.get(`${EV}/recaps.atom`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/atom\+xml/);
    const xml = await res.text();
    assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      isArray: (n) => n === 'entry' || n === 'link',
    }).parse(xml) as {
      feed: {
        xmlns: string;
        id: string;
        title: AtomText;
        updated: string;
        link: Array<{ rel: string; href: string; type: string }>;
        entry: Array<AtomEntry & { link: AtomEntry['link'][] }>;
      };
    };
    const feed = parsed.feed;
    // The configured base URL (absolute: feed readers resolve nothing against the request).
    const base = feed.id.slice(0, feed.id.indexOf(EV));
    assert.match(base, /^https?:\/\/[^/]+$/);
    assert.equal(feed.xmlns, 'http://www.w3.org/2005/Atom');
    assert.equal(feed.id, `${base}${EV}/recaps.atom`);
    assert.equal(feed.title['#text'], 'Recaps of TestConf 2027');
    assert.match(feed.updated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(
      feed.link.map((l) => [l.rel, l.href]),
      [
        ['self', `${base}${EV}/recaps.atom`],
        ['alternate', `${base}${EV}/recaps`],
      ],
    );
    assert.equal(feed.entry.length, 1);
    const entry = feed.entry[0]!;
    const permalink = `${base}${EV}/recaps/ann-at-testconf`;
    assert.equal(entry.id, permalink);
    assert.equal(entry.title['#text'], 'Ann at TestConf');
    assert.equal(entry.author.name, 'Ann & Co');
    assert.match(entry.updated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.ok(entry.updated >= entry.published);
    assert.deepEqual(entry.link, [{ rel: 'alternate', type: 'text/html', href: permalink }]);
    assert.equal(entry.summary?.['#text'], 'Two days of talks.');
  });

  test('each entry carries the whole recap as sanitised HTML content (type="html"), not only the summary', async () => {
    const xml = await (await app.get(`${EV}/recaps.atom`)).text();
    assert.ok(!xml.includes('<script>'), 'the HTML is escaped once more as XML text');
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      processEntities: true,
      isArray: (n) => n === 'entry',
    }).parse(xml) as {
      feed: { entry: AtomEntry[] };
    };
    const content = parsed.feed.entry[0]!.content;
    assert.equal(content.type, 'html');
    assert.match(content['xml:base'], new RegExp(`^https?://[^/]+${EV}/recaps/ann-at-testconf$`));
    const html = content['#text'];
    assert.match(html, /<p>Two days of talks\.<\/p>/);
    assert.match(html, /<h2 id="list-of-talks">List of talks<\/h2>/);
    assert.match(html, /<h2 id="[^"]+">The Keynote<\/h2>/);
    assert.match(html, /Loved <strong>the demo<\/strong>\./);
    assert.match(html, /Q: When\?/);
    assert.match(html, /<a href="#list-of-talks"[^>]*>↑ Back to the list of talks<\/a>/);
    assert.ok(!/<script/i.test(html), 'no script in the content');
    assert.ok(!/<img[^>]*onerror/i.test(html), 'no event handler attributes');
    assert.ok(!/href="javascript:/i.test(html), 'no javascript: links');
  });
});
