import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import { renderMarkdown } from '../../src/web/components/markdown.js';
import { attr, startTags, visibleText, type Tag } from './support.js';

/** Classic XSS payloads: each would run script if it reached the page unescaped. */
const PAYLOADS = [
  '<script>alert("x1")</script>',
  '<img src=x onerror=alert("x2")>',
  '<svg onload=alert("x3")>',
  '[click me](javascript:alert("x4"))',
  '"><script>alert("x5")</script>',
  "' onmouseover='alert(\"x6\")' x='",
  '</title><script>alert("x7")</script>',
  '<iframe src="javascript:alert(`x8`)"></iframe>',
  '<div style="width: expression(alert(\'x9\'))">x9</div>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x10</a>',
  '<style>@import "https://evil.example/x11.css";</style>',
  '<body onload=alert("x12")>',
  '<a href="jav&#x09;ascript:alert(\'x13\')">x13</a>',
  '[x14](JaVaScRiPt:alert(1))',
  '![x15](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert("x16")>',
  '<object data="javascript:alert(17)"></object>',
  '"><svg/onload=alert(18)>',
] as const;

const ZONE_DAY = '2027-05-20';
const EVENT_TITLE = `XSS Conf ${PAYLOADS[6]}`;

/** One event where every user-written field carries a payload. */
function xssDoc(): EventDocumentInput {
  const md = PAYLOADS.join('\n\n');
  return {
    format: 'hallway-event/1',
    community: { slug: 'xss-community', name: `Community ${PAYLOADS[0]}`, description: md },
    event: {
      slug: 'xss-conf',
      kind: 'conference',
      title: EVENT_TITLE,
      acronym: 'xss',
      timeZone: 'Europe/Amsterdam',
      startDate: ZONE_DAY,
      endDate: ZONE_DAY,
      venue: { name: `Venue ${PAYLOADS[1]}`, address: `Street ${PAYLOADS[4]}`, url: 'https://venue.example.org/?a=1&b=2' },
      description: md,
      hosts: [{ name: `Host ${PAYLOADS[2]}`, role: 'host', url: null }],
    },
    rooms: PAYLOADS.map((p, i) => ({ name: `R${i} ${p}`.slice(0, 100), description: p })),
    tracks: PAYLOADS.map((p, i) => ({ name: `T${i} ${p}`.slice(0, 100), color: '#336699', description: p })),
    speakers: PAYLOADS.map((p, i) => ({
      code: `s${i}`,
      name: `S${i} ${p}`,
      jobTitle: p,
      company: p,
      bio: md,
      // The website pattern only asks for http(s) and no spaces, so quotes and brackets get through validation.
      handles: { website: `https://example.org/${i}"onmouseover="alert(1)"<script>` },
    })),
    sponsors: PAYLOADS.map((p, i) => ({ name: `P${i} ${p}`, level: 'gold' as const, contribution: p, url: 'https://sponsor.example.org/' })),
    sessions: [
      ...PAYLOADS.map((p, i) => ({
        code: `c${i}`,
        kind: 'talk' as const,
        title: `Talk ${i} ${p}`,
        subtitle: p,
        abstract: md,
        room: `R${i} ${p}`.slice(0, 100),
        track: `T${i} ${p}`.slice(0, 100),
        start: `${ZONE_DAY}T10:00`,
        durationMinutes: 30,
        speakers: [`s${i}`],
        sponsoredBy: `P${i} ${p}`,
        links: [{ kind: 'slides' as const, title: p, url: 'https://slides.example.org/?q=1&r=2' }],
      })),
      { code: 'lunch', kind: 'meal' as const, title: `Lunch ${PAYLOADS[1]}`, abstract: md, start: `${ZONE_DAY}T12:00`, durationMinutes: 60, room: null, sponsoredBy: `P0 ${PAYLOADS[0]}` },
    ],
  };
}

const OUR_SCRIPT = '/assets/app.js';
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'srcset']);
const FORBIDDEN_TAGS = new Set(['style', 'iframe', 'object', 'embed', 'svg', 'math', 'base', 'form', 'frame', 'frameset', 'applet', 'template', 'mglyph']);

/** Every way a page could run injected code, one message each; empty when the page is clean. */
function executableForms(html: string): string[] {
  const problems: string[] = [];
  const tags = startTags(html);
  const scripts = tags.filter((t) => t.name === 'script');
  for (const s of scripts) if (attr(s, 'src') !== OUR_SCRIPT) problems.push(`a <script> that is not ours: ${show(s)}`);
  if (/<script(?![^>]*src="\/assets\/app\.js")/i.test(html)) problems.push('a "<script" in the markup that is not our script tag');
  for (const t of tags) {
    if (FORBIDDEN_TAGS.has(t.name)) problems.push(`a <${t.name}> element`);
    if (t.name === 'meta' && attr(t, 'http-equiv') !== undefined) problems.push(`a <meta http-equiv>`);
    for (const [name, value] of t.attrs) {
      if (name.startsWith('on')) problems.push(`an event handler attribute ${name} on <${t.name}>`);
      if (name === 'style') problems.push(`a style attribute on <${t.name}>`);
      if (!URL_ATTRS.has(name)) continue; // other attributes are text (alt, content, aria-*): escaped, never run
      // Browsers ignore tabs, newlines and leading spaces in a URL's scheme.
      const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (v.includes('javascript:') || v.includes('vbscript:')) problems.push(`a javascript: URL in ${name} on <${t.name}>`);
      if (!/^(https?:\/\/|mailto:|\/(?!\/)|\?|#)/.test(v) && !(t.name === 'link' && v === 'data:,')) {
        problems.push(`a non-http(s) URL in ${name}="${value}" on <${t.name}>`);
      }
    }
  }
  return problems;
}

function show(t: Tag): string {
  return `<${t.name} ${t.attrs.map(([n, v]) => `${n}="${v}"`).join(' ')}>`;
}

describe('renderMarkdown', () => {
  for (const payload of PAYLOADS) {
    test(`leaves nothing executable of ${JSON.stringify(payload)}`, () => {
      const html = renderMarkdown(payload);
      assert.deepEqual(executableForms(html), [], html);
    });
  }

  test('keeps ordinary Markdown: emphasis, lists, code, and http(s)/mailto links with rel="nofollow noopener"', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n[site](https://example.org) [mail](mailto:a@example.org) [rel](/events/x)');
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
      for (const [name, text] of [['grid', schedule], ['list', list]] as const) {
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
