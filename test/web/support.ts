import { DateTime } from 'luxon';
import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import { buildEventDoc } from '../factories/event-doc.js';

/**
 * Shared by the web tests: the extra event documents they import (every value visible here) and a
 * small HTML tokenizer, so assertions read what a browser would see: tags with their attributes,
 * and text with entities decoded.
 */

/** A one-evening meetup (2027-03-09, CET) whose sessions are listed out of time order on purpose. */
export function buildMeetupDoc(overrides: { title?: string } = {}): EventDocumentInput {
  return {
    format: 'hallway-event/1',
    community: { slug: 'test-meetups', name: 'Test Meetups' },
    event: {
      slug: 'testmeetup-7',
      kind: 'meetup',
      title: overrides.title ?? 'Test Meetup #7',
      timeZone: 'Europe/Amsterdam',
      startDate: '2027-03-09',
      endDate: '2027-03-09',
      venue: { name: 'Hoster HQ', address: 'Kade 5, 1011 AA Amsterdam', url: 'https://hoster.example.org' },
      description: 'Talks and **pizza**.',
      codeOfConductUrl: 'https://meetups.example.org/coc',
      capacity: 60,
      hosts: [
        { name: 'Test Meetups', role: 'organizer' },
        { name: 'Hoster BV', role: 'host', url: 'https://hoster.example.org' },
      ],
    },
    rooms: [{ name: 'Auditorium', capacity: 80 }],
    speakers: [{ code: 'mia', name: 'Mia Meetup', jobTitle: 'Developer', company: 'Hoster BV', bio: 'Mia talks.' }],
    sponsors: [{ name: 'Pizza Palace', level: 'gold', contribution: 'Pizza', url: 'https://pizza.example.org' }],
    sessions: [
      { code: 'talk1', kind: 'talk', title: 'First Talk', room: 'Auditorium', start: '2027-03-09T18:30', durationMinutes: 30, speakers: ['mia'] },
      { code: 'doors', kind: 'doors', title: 'Doors open', start: '2027-03-09T18:00', durationMinutes: 20 },
      { code: 'pizza', kind: 'meal', title: 'Pizza break', start: '2027-03-09T19:00', durationMinutes: 30, sponsoredBy: 'Pizza Palace' },
      { code: 'opening', kind: 'remarks', title: 'Opening remarks', room: 'Auditorium', start: '2027-03-09T18:20', durationMinutes: 10, speakers: ['mia'] },
    ],
  };
}

/**
 * A one-day conference with the awkward cases: three rooms, a workshop in the third running
 * through a room-less coffee break, a cancelled talk, and a talk sponsored by Coffee Corp.
 */
export function buildEdgeDoc(): EventDocumentInput {
  const doc = buildEventDoc({
    slug: 'edgeconf-2027',
    event: { title: 'EdgeConf 2027', startDate: '2027-04-15', endDate: '2027-04-15' },
    sessions: [
      { code: 'opening', kind: 'talk', title: 'Opening Talk', room: 'Main Hall', start: '2027-04-15T09:00', durationMinutes: 60, speakers: ['ada'] },
      { code: 'workshop', kind: 'workshop', title: 'Long Workshop', room: 'Lab', start: '2027-04-15T09:00', durationMinutes: 120, speakers: ['grace'] },
      { code: 'coffee', kind: 'break', title: 'Coffee break', room: null, start: '2027-04-15T10:00', durationMinutes: 30, sponsoredBy: 'Coffee Corp' },
      {
        code: 'dropped',
        kind: 'talk',
        title: 'Dropped Talk',
        status: 'cancelled',
        room: 'Side Room',
        start: '2027-04-15T10:30',
        durationMinutes: 30,
        speakers: ['linus'],
      },
      {
        code: 'sponsored',
        kind: 'talk',
        title: 'Sponsored Talk',
        room: 'Main Hall',
        start: '2027-04-15T10:30',
        durationMinutes: 30,
        speakers: ['linus'],
        sponsoredBy: 'Coffee Corp',
        language: 'pt-BR',
        level: 'advanced',
      },
    ],
  });
  return { ...doc, rooms: [...(doc.rooms ?? []), { name: 'Lab', capacity: 20 }] };
}

/** The programme day of `now` in Europe/Amsterdam (the day changes at 04:00, the document default). */
export function programmeToday(now: Date = new Date()): string {
  return DateTime.fromJSDate(now).setZone('Europe/Amsterdam').minus({ hours: 4 }).toISODate()!;
}

/**
 * A three-day conference running at `now` (the app's clock in tests that set one): yesterday, today and tomorrow (programme days in
 * Europe/Amsterdam), with an all-day hackathon today that is always in progress.
 */
export function buildRunningDoc(now: Date = new Date()): EventDocumentInput {
  const today = DateTime.fromISO(programmeToday(now));
  const day = (n: number) => today.plus({ days: n }).toISODate()!;
  return buildEventDoc({
    slug: 'nowconf',
    event: { title: 'NowConf', startDate: day(-1), endDate: day(1) },
    sessions: [
      { code: 'yesterday', kind: 'talk', title: 'Yesterday Talk', room: 'Main Hall', start: `${day(-1)}T10:00`, durationMinutes: 30, speakers: ['ada'] },
      {
        code: 'hackathon',
        kind: 'workshop',
        title: 'All-day Hackathon',
        room: 'Main Hall',
        start: `${day(0)}T04:00`,
        durationMinutes: 1439,
        speakers: ['grace'],
      },
      { code: 'tomorrow', kind: 'talk', title: 'Tomorrow Talk', room: 'Main Hall', start: `${day(1)}T10:00`, durationMinutes: 30, speakers: ['linus'] },
    ],
  });
}

export interface Tag {
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [string, string]>;
  /** Index of the '<' in the document. */
  readonly at: number;
}

/**
 * Every start tag in `html`, tokenised the way the HTML spec does it for our purposes: a tag starts
 * at '<' followed by a letter; attribute values may be double-, single- or un-quoted; comments,
 * doctype and end tags are skipped. A text '<' that was escaped to &lt; is not a tag.
 */
export function startTags(html: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  while ((i = html.indexOf('<', i)) !== -1) {
    const at = i;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    if (!/[A-Za-z]/.test(html[i + 1] ?? '')) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < html.length && !/[\s/>]/.test(html[j]!)) j++;
    const name = html.slice(i + 1, j).toLowerCase();
    const attrs: Array<[string, string]> = [];
    for (;;) {
      while (j < html.length && /[\s/]/.test(html[j]!)) j++;
      if (j >= html.length || html[j] === '>') break;
      let k = j;
      while (k < html.length && !/[\s/>=]/.test(html[k]!)) k++;
      if (k === j) k++;
      const attr = html.slice(j, k).toLowerCase();
      j = k;
      while (j < html.length && /\s/.test(html[j]!)) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < html.length && /\s/.test(html[j]!)) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1);
          value = html.slice(j + 1, end === -1 ? html.length : end);
          j = end === -1 ? html.length : end + 1;
        } else {
          let e = j;
          while (e < html.length && !/[\s>]/.test(html[e]!)) e++;
          value = html.slice(j, e);
          j = e;
        }
      }
      attrs.push([attr, decodeEntities(value)]);
    }
    tags.push({ name, attrs, at });
    i = j + 1;
  }
  return tags;
}

export function attr(tag: Tag, name: string): string | undefined {
  return tag.attrs.find(([n]) => n === name)?.[1];
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return NAMED[e.toLowerCase()] ?? m;
  });
}

/** The text a reader sees: tags removed (elements hidden from everyone too), entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  const body = html.replace(/<!doctype[^>]*>/i, '').replace(/<head[\s\S]*?<\/head>/i, '');
  // Inline elements join their text as a browser does; every other tag separates words.
  return decodeEntities(
    body
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<\/?(?:a|span|time|strong|em|s|b|i|code|abbr|del|sub|sup|small)(?:\s[^>]*)?>/gi, '')
      .replace(/<[A-Za-z/][^>]*>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The outer HTML of each element with the given class whose content has no nested element of the same tag. */
export function elementsWithClass(html: string, tag: string, className: string): string[] {
  const re = new RegExp(`<${tag}\\s[^>]*class="([^"]*)"[^>]*>([\\s\\S]*?)</${tag}>`, 'g');
  const out: string[] = [];
  for (const m of html.matchAll(re)) if (m[1]!.split(/\s+/).includes(className)) out.push(m[0]);
  return out;
}

/** The class list of the first start tag in a fragment. */
export function classesOf(fragment: string): string[] {
  const t = startTags(fragment)[0];
  return (t ? (attr(t, 'class') ?? '') : '').split(/\s+/).filter(Boolean);
}
