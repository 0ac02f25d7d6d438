import { DateTime } from 'luxon';
import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import { buildEventDoc } from '../factories/event-doc.js';

/** The text of every `<a href>` and its link target in an HTML page, for link assertions. */
export function links(html: string): Array<{ href: string; text: string }> {
  const out: Array<{ href: string; text: string }> = [];
  for (const m of html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g))
    out.push({ href: decode(m[1]!), text: decode(m[2]!.replace(/<[^>]*>/g, '')).trim() });
  return out;
}

export function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    if (k.startsWith('#')) return String.fromCodePoint(Number(k.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[k]!;
  });
}

/** The visible text of the page's <main>, whitespace collapsed. */
export function mainText(html: string): string {
  const m = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html);
  return decode((m?.[1] ?? '').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A conference whose first day is in the past (feedback is allowed) and whose second day is
 * in the future: "past-a" and "past-b" overlap; "future" has not started.
 */
export function buildPastDoc(): EventDocumentInput {
  const zone = 'Europe/Amsterdam';
  const yesterday = DateTime.now().setZone(zone).minus({ days: 2 }).toISODate()!;
  const later = DateTime.now().setZone(zone).plus({ days: 5 }).toISODate()!;
  return buildEventDoc({
    slug: 'pastconf',
    event: { title: 'PastConf', startDate: yesterday, endDate: later },
    sessions: [
      { code: 'past-a', kind: 'talk', title: 'Past A', room: 'Main Hall', start: `${yesterday}T10:00`, durationMinutes: 60, speakers: ['ada'] },
      { code: 'past-b', kind: 'talk', title: 'Past B', room: 'Side Room', start: `${yesterday}T10:30`, durationMinutes: 60, speakers: ['grace'] },
      { code: 'future', kind: 'talk', title: 'Future Talk', room: 'Main Hall', start: `${later}T10:00`, durationMinutes: 30, speakers: ['linus'] },
    ],
  });
}
