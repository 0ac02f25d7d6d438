import { spawnSync } from 'node:child_process';
import type { z } from 'zod';
import { executableForms } from '../web/hostile.js';
import { startTags } from '../web/support.js';
import type { SchemaField } from './schema-fields.js';

/*
 * The XSS corpus: one unique marker per schema field, hostile values carrying it, and checkers
 * for each kind of output (HTML, XML, iCalendar, JSON, mail) that name the field whose marker
 * sits in anything injected.
 */

/** Builds hostile values per field and remembers which fields were filled. */
export class Corpus {
  private readonly markers = new Map<string, string>();
  private readonly fields: ReadonlyMap<string, SchemaField>;

  constructor(fields: readonly SchemaField[]) {
    this.fields = new Map(fields.map((f) => [f.key, f]));
  }

  /** The field's marker: letters and digits only, so every escaping and slugging leaves it whole. */
  marker(key: string): string {
    let m = this.markers.get(key);
    if (!m) {
      if (!this.fields.has(key)) throw new Error(`${key} is no string field of an action schema`);
      m = `hz${String(this.markers.size).padStart(3, '0')}k`;
      this.markers.set(key, m);
    }
    return m;
  }

  /** A text value for the field: as many of the payloads as its maximum length allows, each tagged with its marker. */
  text(key: string): string {
    const m = this.marker(key);
    const max = this.fields.get(key)!.max ?? 10_000;
    const pieces = [
      `<script>alert('${m}')</script>`,
      `"><img src=x onerror=alert('${m}')>`,
      `'><svg onload=alert('${m}')>`,
      `]]><!ENTITY ${m} SYSTEM "file:///etc/passwd">&xxe;`,
      `\r\nBEGIN:VEVENT\r\nSUMMARY:${m}-ics`,
      `\r\nBcc: ${m}@evil.example`,
      ` [${m}](javascript:alert('${m}'))`,
    ];
    let value = '';
    for (const p of pieces) if (value.length + p.length <= max) value += p;
    if (!value) throw new Error(`${key}: no payload fits in ${max} characters`);
    return value;
  }

  /**
   * A URL value for the field: javascript: and data: must be refused by its schema (the caller
   * asserts that with `refusedUrls`); this is the most hostile http(s) URL the schema accepts.
   */
  url(key: string): string {
    const m = this.marker(key);
    const { field } = this.fields.get(key)!;
    const candidates = [
      `http://127.0.0.1/${m}"onmouseover="alert('${m}')"><script>alert('${m}')</script>`,
      `http://127.0.0.1/${m}?a='onmouseover='alert(1)'&b=&xxe;&c=]]`,
    ];
    const accepted = candidates.find((c) => field.safeParse(c).success);
    if (!accepted) throw new Error(`${key} accepts none of the hostile http URLs`);
    return accepted;
  }

  /** `{ name: text(prefix.name) }` for each name. */
  texts<K extends string>(prefix: string, names: readonly K[]): Record<K, string> {
    return Object.fromEntries(names.map((n) => [n, this.text(`${prefix}.${n}`)])) as Record<K, string>;
  }

  /** `{ name: url(prefix.name) }` for each name. */
  urls<K extends string>(prefix: string, names: readonly K[]): Record<K, string> {
    return Object.fromEntries(names.map((n) => [n, this.url(`${prefix}.${n}`)])) as Record<K, string>;
  }

  /** Fields filled so far, with their markers. */
  filled(): ReadonlyMap<string, string> {
    return this.markers;
  }

  /** The fields whose marker occurs in `text`. */
  fieldsIn(text: string): string[] {
    const found: string[] = [];
    for (const [key, m] of this.markers) if (text.includes(m)) found.push(key);
    return found;
  }
}

/** Script URLs a URL field's schema must refuse. */
export const SCRIPT_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
];

/** The script URLs a field's schema accepts (empty when it refuses them all). */
export function acceptedScriptUrls(field: z.ZodType): string[] {
  return SCRIPT_URLS.filter((u) => field.safeParse(u).success);
}

/** Elements of the payloads that Hallway itself never writes around user text. */
const PAYLOAD_TAG = /^(script|img|svg|iframe|object|embed|math|style|body|base)$/i;

/**
 * Everything executable in an HTML page or mail: executableForms' findings (inline styles allowed
 * in mails, whose templates use them; our own markers-free <svg> QR codes allowed), and each start
 * tag a payload made (a foreign script, an event-handler attribute, a script URL, a payload's
 * element), naming the fields whose marker is in it or right after it.
 */
export function htmlProblems(html: string, corpus: Corpus, options: { mail?: boolean } = {}): string[] {
  const problems: string[] = [];
  for (const match of html.matchAll(/<([A-Za-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g)) {
    const [tag, name = ''] = match;
    const attrs = startTags(tag)[0]?.attrs ?? [];
    const fields = corpus.fieldsIn(html.slice(match.index, match.index + tag.length + 40));
    const foreignScript = /^script$/i.test(name) && !/^\/assets\/[a-z-]+\.js$/.test(attrs.find(([n]) => n === 'src')?.[1] ?? '');
    const handler = attrs.some(([n]) => n.startsWith('on'));
    const scriptUrl = attrs.some(([, v]) => /^(javascript|vbscript):/i.test(v.replace(/[\u0000-\u0020]/g, '')));
    const style = attrs.some(([n, v]) => n === 'style' && corpus.fieldsIn(v).length > 0);
    if (foreignScript || handler || scriptUrl || style || (PAYLOAD_TAG.test(name) && fields.length > 0)) {
      problems.push(`<${name}> made by a payload${fields.length ? ` of ${fields.join(', ')}` : ''}: ${tag.slice(0, 160)}`);
    }
  }
  const ours = (p: string) => (options.mail && p.startsWith('a style attribute on ')) || (p === 'a <svg> element' && problems.length === 0);
  return [...executableForms(html).filter((p) => !ours(p)), ...problems];
}

/** xmllint's complaints about a document (empty when well-formed). */
export function xmlProblems(xml: string): string[] {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: xml, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.status === 0 ? [] : [r.stderr.split('\n').slice(0, 6).join('\n')];
}

const ICAL_PROPERTIES = new Set(
  (
    'BEGIN END VERSION PRODID CALSCALE METHOD X-WR-CALNAME X-WR-CALDESC X-WR-TIMEZONE X-PUBLISHED-TTL REFRESH-INTERVAL NAME DESCRIPTION ' +
    'UID DTSTAMP DTSTART DTEND DURATION SUMMARY LOCATION URL STATUS SEQUENCE CATEGORIES ORGANIZER ATTENDEE CONTACT CREATED LAST-MODIFIED ' +
    'TZID TZNAME TZOFFSETFROM TZOFFSETTO RRULE GEO CLASS TRANSP PRIORITY COMMENT RELATED-TO X-LIC-LOCATION ACTION TRIGGER X-ALT-DESC COLOR'
  ).split(' '),
);

/** Lines of an iCalendar body that a payload made: unknown properties, a line that is a payload's own. */
export function icalProblems(body: string, corpus: Corpus): string[] {
  const problems: string[] = [];
  if (/\r(?!\n)|(?<!\r)\n/.test(body)) problems.push('a line break other than CRLF');
  const lines = body.split('\r\n').reduce<string[]>((acc, l) => {
    if ((l.startsWith(' ') || l.startsWith('\t')) && acc.length) acc[acc.length - 1] += l.slice(1);
    else acc.push(l);
    return acc;
  }, []);
  for (const line of lines) {
    if (line === '') continue;
    const name = /^([A-Za-z0-9-]+)[;:]/.exec(line)?.[1]?.toUpperCase();
    const fields = corpus.fieldsIn(line);
    if (!name || !ICAL_PROPERTIES.has(name))
      problems.push(`an unknown property line${fields.length ? ` from ${fields.join(', ')}` : ''}: ${line.slice(0, 120)}`);
    else if (/^SUMMARY:hz\d{3}k-ics$/.test(line) || (name === 'BEGIN' && fields.length))
      problems.push(`a property line injected by ${fields.join(', ')}: ${line}`);
  }
  const begins = lines.filter((l) => l === 'BEGIN:VEVENT').length;
  const ends = lines.filter((l) => l === 'END:VEVENT').length;
  if (begins !== ends) problems.push(`${begins} BEGIN:VEVENT but ${ends} END:VEVENT`);
  return problems;
}
