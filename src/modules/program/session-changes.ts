import { localLabel } from '../events/event-dates.js';
import type { Trx } from '../events/event-write.queries.js';
import type { LinkRecord, SessionRecord } from './records.js';
import type { SessionInput } from './session.schemas.js';

type After = SessionInput & { readonly startsAt: string; readonly endsAt: string };

/**
 * What an edit changes, as short phrases for the audit log ('room Side Room → Main Hall',
 * 'time 2027-04-15 10:30 → 11:00', 'speakers Ada Example, Grace Sample'); empty when nothing
 * changes. Reads the names of the rooms, tracks, sponsors and speakers involved.
 */
export async function describeSessionChanges(trx: Trx, event: { time_zone: string }, before: SessionRecord, after: After): Promise<string[]> {
  const out: string[] = [];
  for (const k of ['kind', 'title', 'subtitle', 'language', 'level'] as const) {
    if (before[k] !== after[k]) out.push(k === 'title' ? `title "${before.title}" → "${after.title}"` : `${k} ${before[k] ?? 'none'} → ${after[k] ?? 'none'}`);
  }
  if (before.abstract !== after.abstract) out.push('abstract');
  const name = async (table: 'rooms' | 'tracks' | 'sponsors', id: number | null) =>
    id === null ? 'none' : ((await trx.selectFrom(table).select('name').where('id', '=', id).executeTakeFirst())?.name ?? `#${id}`);
  if (before.roomId !== after.roomId) out.push(`room ${await name('rooms', before.roomId)} → ${await name('rooms', after.roomId)}`);
  if (before.trackId !== after.trackId) out.push(`track ${await name('tracks', before.trackId)} → ${await name('tracks', after.trackId)}`);
  if (before.sponsorId !== after.sponsorId) out.push(`sponsor ${await name('sponsors', before.sponsorId)} → ${await name('sponsors', after.sponsorId)}`);
  if (before.startsAt !== after.startsAt) out.push(`start ${localLabel(before.startsAt, event.time_zone)} → ${localLabel(after.startsAt, event.time_zone)}`);
  if (before.durationMinutes !== after.durationMinutes) out.push(`duration ${before.durationMinutes} → ${after.durationMinutes} min`);
  if (before.speakerIds.join(',') !== after.speakerIds.join(',')) {
    const rows = after.speakerIds.length
      ? await trx
          .selectFrom('speakers')
          .select(['id', 'name'])
          .where('id', 'in', [...after.speakerIds])
          .execute()
      : [];
    const names = new Map(rows.map((r) => [r.id, r.name]));
    out.push(`speakers ${after.speakerIds.map((id) => names.get(id) ?? `#${id}`).join(', ') || 'none'}`);
  }
  if (linksKey(before.links) !== linksKey(after.links)) out.push('links');
  return out;
}

/**
 * Whether an edit changes only what releases freeze (room, time, duration, speakers): the public
 * sees those as released, so such an edit of a released programme stays in the draft until the
 * next release. Texts, track, sponsor and links are live (public at once).
 */
export function changesOnlyTheDraft(before: SessionRecord, after: SessionInput): boolean {
  const live = ['kind', 'title', 'subtitle', 'abstract', 'language', 'level', 'trackId', 'sponsorId'] as const;
  return live.every((k) => before[k] === after[k]) && linksKey(before.links) === linksKey(after.links);
}

function linksKey(links: readonly LinkRecord[]): string {
  return links.map((l) => `${l.kind} ${l.title} ${l.url}`).join('|');
}
