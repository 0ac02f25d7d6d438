import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { startTestApp, type RunningApp } from '../support/app.js';
import { renderMarkdown } from '../../src/web/components/markdown.js';
import { visibleText } from './support.js';
import { EVENT_TITLE, PAYLOADS, executableForms, xssDoc } from './hostile.js';

describe('renderMarkdown', () => {
  for (const payload of PAYLOADS) {
    test(`leaves nothing executable of ${JSON.stringify(payload)}`, () => {
      const html = renderMarkdown(payload);
      assert.deepEqual(executableForms(html), [], html);
    });
  }

  test('keeps ordinary Markdown: emphasis, lists, code, and http(s)/mailto links with rel="nofollow noopener"', () => {
    const html = renderMarkdown(
      '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n[site](https://example.org) [mail](mailto:a@example.org) [rel](/events/x)',
    );
    assert.match(html, /<h2>Title<\/h2>/, 'headings move one level down under the page title');
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<li>one<\/li>/);
    assert.match(html, /<a href="https:\/\/example.org" rel="nofollow noopener">site<\/a>/);
    assert.match(html, /<a href="mailto:a@example.org" rel="nofollow noopener">mail<\/a>/);
  });

  test('drops the href of javascript: and data: links but keeps their text', () => {
    const html = renderMarkdown('[click me](javascript:alert(1)) and [data](data:text/html,hi)');
    assert.ok(!/href=/.test(html), html);
    assert.match(visibleText(html), /click me and data/);
  });

  test('shows raw HTML neither as markup nor runs it; the text of a script is dropped', () => {
    const html = renderMarkdown('Before <script>alert(1)</script> after <b onclick="x()">bold</b>');
    assert.equal(visibleText(html), 'Before after bold');
  });
});

describe('pages with hostile content', () => {
  let app: RunningApp;
  before(async () => {
    app = await startTestApp({ docs: [xssDoc()] });
  });
  after(async () => {
    await app?.close();
  });

  const get = async (path: string) => {
    const res = await app.get(path);
    return { status: res.status, html: await res.text() };
  };

  const pages = [
    '/',
    '/events/xss-conf',
    '/events/xss-conf/schedule',
    '/events/xss-conf/schedule?view=list',
    '/events/xss-conf/speakers',
    '/events/xss-conf/sessions/lunch',
    '/events/xss-conf/changelog',
    ...PAYLOADS.map((_, i) => `/events/xss-conf/sessions/c${i}`),
    ...PAYLOADS.map((_, i) => `/events/xss-conf/speakers/s${i}`),
  ];

  test(`no page has an executable form of any payload (${pages.length} pages)`, async () => {
    for (const path of pages) {
      const { status, html } = await get(path);
      assert.equal(status, 200, path);
      assert.deepEqual(executableForms(html), [], `${path} is unsafe`);
    }
  });

  test('plain-text fields show the payload as text, exactly as written', async () => {
    const event = visibleText((await get('/events/xss-conf')).html);
    assert.ok(event.includes(EVENT_TITLE), 'the event title is shown as text');
    assert.ok(event.includes(`Venue ${PAYLOADS[1]}`), 'the venue name is shown as text');
    assert.ok(event.includes(`Street ${PAYLOADS[4]}`), 'the address is shown as text');
    assert.ok(event.includes(`Host ${PAYLOADS[2]}`), 'the host is shown as text');
    for (let i = 0; i < PAYLOADS.length; i++) assert.ok(event.includes(`P${i} ${PAYLOADS[i]}`), `sponsor ${i} is shown as text`);

    const schedule = visibleText((await get('/events/xss-conf/schedule')).html);
    const list = visibleText((await get('/events/xss-conf/schedule?view=list')).html);
    for (let i = 0; i < PAYLOADS.length; i++) {
      for (const [name, text] of [
        ['grid', schedule],
        ['list', list],
      ] as const) {
        assert.ok(text.includes(`Talk ${i} ${PAYLOADS[i]}`), `${name}: session title ${i} is shown as text`);
        assert.ok(text.includes(`S${i} ${PAYLOADS[i]}`), `${name}: speaker ${i} is shown as text`);
        assert.ok(text.includes(`T${i} ${PAYLOADS[i]}`.slice(0, 100)), `${name}: track ${i} is shown as text`);
      }
      assert.ok(list.includes(`R${i} ${PAYLOADS[i]}`.slice(0, 100)), `room ${i} is shown as text`);
    }

    for (let i = 0; i < PAYLOADS.length; i++) {
      const session = visibleText((await get(`/events/xss-conf/sessions/c${i}`)).html);
      assert.ok(session.includes(`Talk ${i} ${PAYLOADS[i]}`), `session ${i}: title`);
      assert.ok(session.includes(`R${i} ${PAYLOADS[i]}`.slice(0, 100)), `session ${i}: room`);
      const speaker = visibleText((await get(`/events/xss-conf/speakers/s${i}`)).html);
      assert.ok(speaker.includes(`S${i} ${PAYLOADS[i]}`), `speaker ${i}: name`);
    }
  });

  test('the changelog shows hostile titles as text, and its Atom feed stays well-formed', async () => {
    const text = visibleText((await get('/events/xss-conf/changelog')).html);
    for (let i = 0; i < PAYLOADS.length; i++) assert.ok(text.includes(`Talk ${i} ${PAYLOADS[i]}`), `changelog: session title ${i} is shown as text`);
    const xml = await (await app.get('/events/xss-conf/changelog.atom')).text();
    assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
    assert.ok(!/<(script|img|svg|iframe)\b/i.test(xml), 'no element made of user text');
  });

  test('the document title cannot be closed early by a title', async () => {
    const { html } = await get('/events/xss-conf');
    const titles = html.match(/<title>[\s\S]*?<\/title>/g) ?? [];
    assert.equal(titles.length, 1);
    assert.ok(!titles[0]!.slice('<title>'.length, -'</title>'.length).includes('<'), titles[0]);
  });

  test('the track stylesheet has only well-formed colour rules', async () => {
    const css = await (await app.get('/events/xss-conf/theme.css')).text();
    const rules = css.split('\n').filter((l) => l && !l.startsWith('/*'));
    assert.equal(rules.length, PAYLOADS.length);
    for (const r of rules) assert.match(r, /^\.tk-[a-z0-9-]+\{--track:#[0-9a-fA-F]{6};--track-bg:#[0-9a-f]{6}\}$/);
  });

  test('error pages echo hostile URLs only as text', async () => {
    for (const path of [
      `/events/${encodeURIComponent(PAYLOADS[0])}`,
      `/events/xss-conf/sessions/${encodeURIComponent(PAYLOADS[1])}`,
      `/events/xss-conf/speakers/${encodeURIComponent(PAYLOADS[4])}`,
      `/events/xss-conf/schedule?day=${encodeURIComponent(PAYLOADS[2])}`,
      `/nowhere/${encodeURIComponent(PAYLOADS[6])}`,
    ]) {
      const { status, html } = await get(path);
      assert.ok(status === 404 || status === 400, `${path}: ${status}`);
      assert.deepEqual(executableForms(html), [], `${path} is unsafe`);
    }
  });
});
