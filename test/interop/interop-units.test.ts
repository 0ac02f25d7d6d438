import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { foldLines as icalGeneratorFold } from 'ical-generator';
import { frabAcronym, frabTrackSlug, hhmm, strictUrl } from '../../src/formats/frab-common.js';
import { codeFrom, uniqueCode } from '../../src/formats/frab-identity.js';
import { kindOfType, languageOf, linkKindOf } from '../../src/formats/frab-kinds.js';
import { resolveUrl } from '../../src/formats/frab-links.js';
import { chooseDayChange, durationMinutes } from '../../src/formats/frab-times.js';
import { htmlToMarkdown, importText } from '../../src/formats/html-text.js';
import { foldLines } from '../../src/formats/ical.js';
import { icalText } from '../../src/lib/ical-text.js';
import { markdownToPlainText } from '../../src/formats/plain-text.js';
import { decodeXmlReferences } from '../../src/formats/xml-safety.js';
import type { EventInfo } from '../../src/modules/schedule/snapshot.js';

describe('import rules', () => {
  test('frab types map to Hallway kinds by keyword; unknown ones are talks, reported', () => {
    const cases: Array<[string, string, boolean]> = [
      ['lecture', 'talk', true],
      ['Lightning Talk', 'lightning', true],
      ['lightningtalk', 'lightning', true],
      ['Workshop (2h)', 'workshop', true],
      ['Talk 45 minutes + 10 minutes Q&A', 'talk', true],
      ['BoF (45 minutes)', 'talk', true],
      ['Podiumsdiskussion', 'panel', true],
      ['djset', 'social', true],
      ['keynote', 'keynote', true],
      ['break', 'break', true],
      ['remarks', 'remarks', true],
      ['Normale Länge', 'talk', true],
      ['outside', 'talk', false],
    ];
    for (const [type, kind, known] of cases) assert.deepEqual(kindOfType(type), { kind, known }, type);
  });

  test('link kinds come from type, title and address', () => {
    const k = (url: string, title?: string, type?: string) => linkKindOf({ url, title, type, attachment: false });
    assert.equal(k('https://x.org/a.pdf'), 'slides');
    assert.equal(k('https://x.org/', 'Slides (dat link)'), 'slides');
    assert.equal(k('https://video.fosdem.org/2020/x.webm', 'Video recording (WebM/VP9)'), 'recording');
    assert.equal(k('https://media.ccc.de/v/36c3-1'), 'video');
    assert.equal(k('https://github.com/x/y', 'Project'), 'code');
    assert.equal(k('https://x.org/', 'x', 'web'), 'website');
    assert.equal(k('https://x.org/feedback'), 'other');
  });

  test('languages are codes; names and junk are mapped or dropped', () => {
    assert.equal(languageOf('de'), 'de');
    assert.equal(languageOf('EN'), 'en');
    assert.equal(languageOf('pt_BR'), 'pt-BR');
    assert.equal(languageOf('English'), 'en');
    assert.equal(languageOf('en, de'), undefined);
  });

  test('durations: H:MM, HH:MM and HH:MM:SS', () => {
    assert.equal(durationMinutes('0:30'), 30);
    assert.equal(durationMinutes('00:30'), 30);
    assert.equal(durationMinutes('00:05:00'), 5);
    assert.equal(durationMinutes('12:59'), 779);
    assert.equal(durationMinutes('01:29:30'), 90);
    assert.equal(durationMinutes('90'), undefined);
    assert.equal(durationMinutes('1:5'), undefined);
  });

  test('the day change keeps every event on the day the file lists it under', () => {
    const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' });
    const placed = [
      { dayDate: '2019-12-27', start: at('2019-12-27T10:00') },
      { dayDate: '2019-12-27', start: at('2019-12-28T02:30') },
      { dayDate: '2019-12-28', start: at('2019-12-28T11:00') },
    ];
    assert.deepEqual(chooseDayChange(placed, 11 * 60), { minutes: 10 * 60, misplaced: 0 }); // 11:00 would move the 10:00 talk
    assert.deepEqual(chooseDayChange(placed, 4 * 60), { minutes: 4 * 60, misplaced: 0 });
    assert.deepEqual(chooseDayChange(placed, 60), { minutes: 2 * 60 + 31, misplaced: 0 });
    const contradictory = [...placed, { dayDate: '2019-12-28', start: at('2019-12-28T01:00') }];
    assert.deepEqual(chooseDayChange(contradictory, 4 * 60), { minutes: 4 * 60, misplaced: 1 });
  });

  test('session codes: pretalx code, else slug without the acronym, else id; unique case-insensitively', () => {
    const e = (over: object) => ({ path: 'x', persons: [], links: [], ...over });
    assert.equal(codeFrom(e({ code: 'U3SAXX', slug: 'x-y' }), '36c3-'), 'U3SAXX');
    assert.equal(codeFrom(e({ slug: '36c3-11223-opening_ceremony', id: '11223' }), '36c3-'), '11223-opening_ceremony');
    assert.equal(codeFrom(e({ slug: 'keynotes_welcome', id: '9025' }), undefined), 'keynotes_welcome');
    assert.equal(codeFrom(e({ id: '42' }), undefined), '42');
    assert.equal(codeFrom(e({ slug: '--Grüße aus Köln!', title: 'T' }), undefined), 'Gr-e-aus-K-ln');
    const used = new Set<string>();
    assert.deepEqual(
      [uniqueCode('ada', used), uniqueCode('ADA', used), uniqueCode('ada', used, '77'), uniqueCode('ada', used)],
      ['ada', 'ADA-2', 'ada-77', 'ada-3'],
    );
  });

  test('URLs: absolute kept (RFC 3986 form), relative resolved against the base, others dropped', () => {
    const base = 'https://fahrplan.events.ccc.de/congress/2019/Fahrplan/';
    assert.equal(resolveUrl('https://x.org/a b', base), 'https://x.org/a%20b');
    assert.equal(resolveUrl('/system/logo.png', base), 'https://fahrplan.events.ccc.de/system/logo.png');
    assert.equal(resolveUrl('events/1.html', base), 'https://fahrplan.events.ccc.de/congress/2019/Fahrplan/events/1.html');
    assert.equal(resolveUrl('//cdn.example.org/x', undefined), 'https://cdn.example.org/x');
    assert.equal(resolveUrl('nymtech.net', base), undefined);
    assert.equal(resolveUrl('dat://x.hashbase.io/', base), undefined);
    assert.equal(resolveUrl('javascript:alert(1)', base), undefined);
    assert.equal(resolveUrl('/relative', undefined), undefined);
    assert.equal(strictUrl('https://a.org/p/](https://a.org/q|r^s%zz'), 'https://a.org/p/%5D(https://a.org/q%7Cr%5Es%25zz');
  });

  test('HTML becomes Markdown; Markdown and plain text stay as they are', () => {
    assert.equal(
      htmlToMarkdown(
        '<p>Hello <b>you</b> &amp; <a href="https://x.org">the docs</a>.</p>\n<ul><li>one</li><li>two <em>2</em></li></ul><p>a<br/>b <a href="Gleeson,">1</a></p><script>x()</script>',
      ),
      'Hello **you** & [the docs](https://x.org).\n\n- one\n- two *2*\n\na\nb 1',
    );
    assert.equal(htmlToMarkdown('<ol><li>first</li><li>second</li></ol><pre><code>a  <b>\n  c</code></pre>'), '1. first\n2. second\n\n```\na  \n  c\n```');
    assert.equal(importText('line one  \r\nline two\r\rend'), 'line one  \nline two\n\nend');
    assert.equal(importText('a < b and **c**'), 'a < b and **c**');
    assert.equal(importText('<p>x</p>', true), '<p>x</p>');
  });

  test('XML references: the five entities and character references only', () => {
    assert.equal(decodeXmlReferences('a &lt;b&gt; &amp;amp; &#13;&#x1F6A9; &quot;q&apos;'), 'a <b> &amp; \r🚩 "q\'');
    assert.throws(() => decodeXmlReferences('&nbsp;'), /the entity &nbsp; is not defined/);
    assert.throws(() => decodeXmlReferences('&#0;'), /names no valid XML character/);
  });
});

describe('export rules', () => {
  test('acronyms and track slugs fit the schemas', () => {
    const info = (acronym: string, slug = 'x-2027') => ({ acronym, slug }) as EventInfo;
    assert.equal(frabAcronym(info('RiverConf')), 'riverconf');
    assert.equal(frabAcronym(info('CNR #42')), 'cnr_42');
    assert.equal(frabAcronym(info('NC')), 'nc__');
    assert.equal(frabAcronym(info('', 'fosdem-2026')), 'fosdem_2026');
    assert.equal(frabTrackSlug('3d-printing'), 't-3d-printing');
    assert.equal(frabTrackSlug('x'), 'x-track');
    assert.equal(hhmm(5), '00:05');
    assert.equal(hhmm(24 * 60), '24:00');
  });

  test('calendar lines fold exactly as ical-generator folds them, never splitting a character', () => {
    const text = `DESCRIPTION:${'äöü€😀x'.repeat(40)}\r\nSUMMARY:${'a'.repeat(200)}\r\nUID:short`;
    assert.equal(foldLines(text), icalGeneratorFold(text));
    for (const line of foldLines(text).split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75);
  });

  test('a calendar name is one escaped TEXT value: a line break in it starts no property line', () => {
    assert.equal(icalText('A\r\nBEGIN:VEVENT\nSUMMARY:x;y,z\\'), 'A\\nBEGIN:VEVENT\\nSUMMARY:x\\;y\\,z\\\\');
    assert.equal(icalText('tab\tok\u0007bell'), 'tab\tokbell');
  });

  test('Markdown becomes readable plain text for calendars', () => {
    assert.equal(
      markdownToPlainText('## Intro\n\nBring a **laptop** and `kubectl`. See [the docs](https://docs.example.org) or <https://x.org>.\n\n* one\n* two'),
      'Intro\n\nBring a laptop and kubectl. See the docs (https://docs.example.org) or https://x.org.\n\n- one\n- two',
    );
  });
});
