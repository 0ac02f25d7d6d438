import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { slugify } from '../../lib/slug.js';
import type { Problem } from '../../lib/domain-error.js';
import { checkEventDocument, type CheckedDocument, type CheckOptions, type PlannedSession } from './event-document.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from '../events/event.errors.js';
import { withAuditedCreate, withEventWrite, type AuditNote, type EventWrite, type Writer } from '../events/event-write.js';
import { releaseDraftIn } from './release.actions.js';
import { diffReleases } from './release.js';
import { findLatestRelease, readDraftSlots, readReleaseSlots } from './release.queries.js';
import { ScheduleErrors } from './schedule.errors.js';

type Trx = Transaction<Database>;

export interface ChangeCount {
  added: number;
  changed: number;
  removed: number;
}

export interface ImportSummary {
  readonly eventSlug: string;
  readonly eventId: number;
  /** True when the event did not exist before. */
  readonly created: boolean;
  /** True when anything at all was written; false for a re-import of an unchanged document. */
  readonly changed: boolean;
  readonly version: number;
  readonly rooms: ChangeCount;
  readonly tracks: ChangeCount;
  readonly speakers: ChangeCount;
  readonly sessions: ChangeCount;
  readonly sponsors: ChangeCount;
  /** Problems accepted rather than refused (only with `conflicts: 'warn'`), each with its path. */
  readonly warnings: readonly Problem[];
}

export interface ImportOptions extends CheckOptions {
  /**
   * What the document must do, checked inside the transaction: `'new'` creates an event and
   * refuses an existing slug (SLUG_TAKEN); an id updates exactly that event (NOT_FOUND when the
   * document's slug names another or none). Default: create or update whatever the slug names.
   */
  readonly expectEvent?: 'new' | number;
}

export type ImportProgress = (stage: string, done: number, total: number) => void;

/**
 * Creates or updates a whole event from a document, in one transaction.
 *
 * Identity is stable: the event by slug, rooms/tracks/sponsors by name, speakers by code,
 * sessions by GUID (else code). Rows are updated in place, added, or removed when the document
 * no longer has them; nothing is written when nothing differs, so re-importing is a no-op.
 * Any change bumps the event's version (invalidating caches) and each changed session's sequence.
 *
 * With `conflicts: 'warn'` room overlaps and double-booked speakers are imported and listed in
 * the summary's `warnings` instead of refusing the document.
 *
 * @throws EVENT_DOCUMENT_INVALID (422) listing every problem (also a session GUID that belongs to
 *   another event); with `expectEvent`, SLUG_TAKEN (409) or NOT_FOUND (404). The database is
 *   then untouched.
 */
export async function importEventDocument(
  ctx: ModuleContext,
  writer: Writer,
  input: unknown,
  onProgress: ImportProgress = () => {},
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const checked = checkEventDocument(input, options);
  if (!checked.ok) throw ScheduleErrors.documentInvalid(checked.problems);
  return importCheckedDocument(ctx, writer, checked.value, onProgress, options.expectEvent);
}

/**
 * Writes a document checkEventDocument accepted (e.g. in a worker thread, off the event loop) in
 * one transaction; see importEventDocument. `writer` is the API's token user (who must manage the
 * event), or the operator (CLI, demo loader); the audit row names them. An existing event is
 * written through withEventWrite (version bump, audit row `event.imported`); an import that
 * changes nothing rolls back, so its version stays. A new event is created with its audit row
 * (who may create events in the community is the adapter's check, as for createEvent's route).
 */
export async function importCheckedDocument(
  ctx: ModuleContext,
  writer: Writer,
  checked: CheckedDocument,
  onProgress: ImportProgress = () => {},
  expectEvent?: 'new' | number,
): Promise<ImportSummary> {
  const slug = checked.doc.event.slug;
  const note = (s: ImportSummary) => ({
    action: 'event.imported',
    entityType: 'event',
    entityId: s.eventId,
    summary: `Imported "${checked.doc.event.title}" (${slug}): ${describe(s)}`,
  });
  const existing = await ctx.db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!existing) {
    return withAuditedCreate(ctx, writer, async ({ trx, now, clock, audit }) => {
      const summary = await applyDocument(trx, checked, onProgress, now, expectEvent);
      const noted = (n: AuditNote) => audit({ ...n, communityId: summary.communityId, eventId: summary.eventId });
      noted(note(summary));
      const event = await trx.selectFrom('events').selectAll().where('id', '=', summary.eventId).executeTakeFirstOrThrow();
      // A new event: its first version is public as created, so there is no draft to keep apart.
      await releaseImported({ trx, event, now, clock, audit: noted, draftOnly: () => {} }, writer, checked);
      return summary;
    });
  }
  return withEventWrite(ctx, writer, existing.id, { may: canManageEvent, what: 'import into this event' }, async (w) => {
    const { trx, event, now, audit } = w;
    const summary = await applyDocument(trx, checked, onProgress, now, expectEvent);
    if (summary.changed) {
      audit(note(summary));
      await releaseImported({ ...w, event: await trx.selectFrom('events').selectAll().where('id', '=', event.id).executeTakeFirstOrThrow() }, writer, checked);
    }
    // Unchanged: the write path rolls back, so the version stays the one before its bump.
    return { ...summary, version: summary.changed ? event.version : event.version - 1 };
  });
}

/**
 * A document is a programme another system published: when it says the event is public, what it
 * lists becomes the event's next release (the first one publishes). Speaker mails are held: the organizer sends them from the
 * releases page if the speakers should hear from Hallway.
 */
async function releaseImported(w: EventWrite, writer: Writer, checked: CheckedDocument): Promise<void> {
  if (!checked.doc.event.published) return;
  const latest = await findLatestRelease(w.trx, w.event.id);
  if (latest && diffReleases(await readReleaseSlots(w.trx, latest.id), await readDraftSlots(w.trx, w.event.id)).length === 0) return;
  await releaseDraftIn(w, writer, { name: '', comment: 'Imported from a schedule document.', mails: 'hold' });
}

function describe(s: ImportSummary): string {
  const n = (c: ChangeCount) => `+${c.added} ~${c.changed} -${c.removed}`;
  return `sessions ${n(s.sessions)}, speakers ${n(s.speakers)}, rooms ${n(s.rooms)}, tracks ${n(s.tracks)}, sponsors ${n(s.sponsors)}`;
}

async function applyDocument(
  trx: Trx,
  { doc, sessions, warnings }: CheckedDocument,
  onProgress: ImportProgress,
  ts: string,
  expectEvent?: 'new' | number,
): Promise<ImportSummary & { communityId: number }> {
  let dirty = false;
  const mark = <T extends ChangeCount>(c: T) => {
    if (c.added + c.changed + c.removed > 0) dirty = true;
    return c;
  };

  if (expectEvent !== undefined) {
    const target = await trx.selectFrom('events').select('id').where('slug', '=', doc.event.slug).executeTakeFirst();
    if (expectEvent === 'new' && target) throw EventErrors.slugTaken('event', doc.event.slug);
    if (typeof expectEvent === 'number' && target?.id !== expectEvent) throw EventErrors.notFound('event', expectEvent);
  }

  // Community: created if new; an existing community's name and text follow the document.
  const c = doc.community;
  let community = await trx.selectFrom('communities').selectAll().where('slug', '=', c.slug).executeTakeFirst();
  if (!community) {
    community = await trx
      .insertInto('communities')
      .values({ slug: c.slug, name: c.name, description: c.description, url: c.url, created_at: ts })
      .returningAll()
      .executeTakeFirstOrThrow();
  } else if (community.name !== c.name || community.description !== c.description || community.url !== c.url) {
    await trx.updateTable('communities').set({ name: c.name, description: c.description, url: c.url }).where('id', '=', community.id).execute();
  }

  const ev = doc.event;
  const eventValues = {
    community_id: community.id,
    kind: ev.kind,
    title: ev.title,
    acronym: ev.acronym,
    time_zone: ev.timeZone,
    start_date: ev.startDate,
    end_date: ev.endDate,
    day_change: ev.dayChange,
    venue_name: ev.venue.name,
    venue_address: ev.venue.address,
    venue_url: ev.venue.url,
    description: ev.description,
    code_of_conduct_url: ev.codeOfConductUrl,
    url: ev.url,
    capacity: ev.capacity,
    published: ev.published ? 1 : 0,
  };
  const existing = await trx.selectFrom('events').selectAll().where('slug', '=', ev.slug).executeTakeFirst();
  let eventId: number;
  let version: number;
  const created = !existing;
  if (!existing) {
    const row = await trx
      .insertInto('events')
      .values({ ...eventValues, slug: ev.slug, version: 1, created_at: ts, updated_at: ts })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    eventId = row.id;
    version = row.version;
    dirty = true;
  } else {
    eventId = existing.id;
    version = existing.version;
    if (differs(existing, eventValues)) {
      await trx.updateTable('events').set(eventValues).where('id', '=', eventId).execute();
      dirty = true;
    }
  }

  // Hosts are a small ordered list: replaced whole when it differs.
  const hosts = await trx.selectFrom('event_hosts').select(['name', 'role', 'url']).where('event_id', '=', eventId).orderBy('position').execute();
  if (JSON.stringify(hosts) !== JSON.stringify(ev.hosts.map((h) => ({ name: h.name, role: h.role, url: h.url })))) {
    await trx.deleteFrom('event_hosts').where('event_id', '=', eventId).execute();
    if (ev.hosts.length) {
      await trx
        .insertInto('event_hosts')
        .values(ev.hosts.map((h, i) => ({ event_id: eventId, name: h.name, role: h.role, url: h.url, position: i })))
        .execute();
    }
    dirty = true;
  }

  onProgress('rooms, tracks, sponsors', 0, 3);
  const rooms = mark(
    await syncByKey(
      trx,
      'rooms',
      eventId,
      'name',
      doc.rooms.map((r, i) => ({ name: r.name, description: r.description, capacity: r.capacity, position: i })),
    ),
  );
  const tracks = mark(
    await syncByKey(
      trx,
      'tracks',
      eventId,
      'name',
      doc.tracks.map((t, i) => ({ name: t.name, slug: slugify(t.name), color: t.color.toLowerCase(), description: t.description, position: i })),
    ),
  );
  const sponsors = mark(
    await syncByKey(
      trx,
      'sponsors',
      eventId,
      'name',
      doc.sponsors.map((s, i) => ({ name: s.name, level: s.level, url: s.url, logo_url: s.logoUrl, contribution: s.contribution, position: i })),
    ),
  );
  onProgress('speakers', 0, doc.speakers.length);
  const speakers = mark(
    await syncByKey(
      trx,
      'speakers',
      eventId,
      'code',
      doc.speakers.map((s, i) => ({
        code: s.code,
        name: s.name,
        job_title: s.jobTitle,
        company: s.company,
        bio: s.bio,
        avatar_url: s.avatarUrl,
        handles: JSON.stringify(s.handles),
        position: i,
      })),
    ),
  );

  const idsOf = async (table: 'rooms' | 'tracks' | 'sponsors', key: 'name') =>
    new Map((await trx.selectFrom(table).select(['id', key]).where('event_id', '=', eventId).execute()).map((r) => [r[key], r.id]));
  const roomIds = await idsOf('rooms', 'name');
  const trackIds = await idsOf('tracks', 'name');
  const sponsorIds = await idsOf('sponsors', 'name');
  const speakerIds = new Map((await trx.selectFrom('speakers').select(['id', 'code']).where('event_id', '=', eventId).execute()).map((r) => [r.code, r.id]));

  const sessionCount = mark(await syncSessions(trx, eventId, sessions, { roomIds, trackIds, sponsorIds, speakerIds }, ts, onProgress));

  // The version bump of a change to an existing event is the write path's (importCheckedDocument).
  return {
    communityId: community.id,
    eventSlug: ev.slug,
    eventId,
    created,
    changed: dirty,
    version,
    rooms,
    tracks,
    speakers,
    sessions: sessionCount,
    sponsors,
    warnings,
  };
}

type KeyedTable = 'rooms' | 'tracks' | 'sponsors' | 'speakers';

/** Makes a table's rows for one event equal `wanted`, matched by `key`; counts what changed. */
async function syncByKey<R extends Record<string, unknown>>(trx: Trx, table: KeyedTable, eventId: number, key: string, wanted: R[]): Promise<ChangeCount> {
  const count: ChangeCount = { added: 0, changed: 0, removed: 0 };
  const rows = (await trx.selectFrom(table).selectAll().where('event_id', '=', eventId).execute()) as unknown as Array<
    Record<string, unknown> & { id: number }
  >;
  const byKey = new Map(rows.map((r) => [r[key], r]));
  const keep = new Set<number>();
  const inserts: Array<R & { event_id: number }> = [];
  for (const w of wanted) {
    const row = byKey.get(w[key]);
    if (!row) {
      inserts.push({ ...w, event_id: eventId });
      continue;
    }
    keep.add(row.id);
    if (differs(row, w)) {
      await trx
        .updateTable(table)
        .set(w as never)
        .where('id', '=', row.id)
        .execute();
      count.changed++;
    }
  }
  const gone = rows.filter((r) => !keep.has(r.id)).map((r) => r.id);
  if (gone.length) {
    for (const part of chunks(gone, 500)) await trx.deleteFrom(table).where('id', 'in', part).execute();
    count.removed = gone.length;
  }
  for (const part of chunks(inserts, 100))
    await trx
      .insertInto(table)
      .values(part as never)
      .execute();
  count.added = inserts.length;
  return count;
}

interface Lookups {
  roomIds: Map<string, number>;
  trackIds: Map<string, number>;
  sponsorIds: Map<string, number>;
  speakerIds: Map<string, number>;
}

async function syncSessions(
  trx: Trx,
  eventId: number,
  planned: readonly PlannedSession[],
  ids: Lookups,
  ts: string,
  onProgress: ImportProgress,
): Promise<ChangeCount> {
  const count: ChangeCount = { added: 0, changed: 0, removed: 0 };
  const rows = await trx.selectFrom('sessions').selectAll().where('event_id', '=', eventId).execute();
  const speakerRows = await trx
    .selectFrom('session_speakers')
    .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
    .select(['session_id', 'speaker_id'])
    .where('sessions.event_id', '=', eventId)
    .orderBy('session_id')
    .orderBy('session_speakers.position')
    .execute();
  const linkRows = await trx
    .selectFrom('session_links')
    .innerJoin('sessions', 'sessions.id', 'session_links.session_id')
    .select(['session_id', 'session_links.kind', 'session_links.title', 'session_links.url'])
    .where('sessions.event_id', '=', eventId)
    .orderBy('session_id')
    .orderBy('session_links.position')
    .execute();
  const speakersOf = new Map<number, number[]>();
  for (const r of speakerRows) speakersOf.set(r.session_id, [...(speakersOf.get(r.session_id) ?? []), r.speaker_id]);
  const linksOf = new Map<number, string>();
  for (const r of linkRows) linksOf.set(r.session_id, `${linksOf.get(r.session_id) ?? ''}|${r.kind} ${r.title} ${r.url}`);

  const byGuid = new Map(rows.map((r) => [r.guid, r]));
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const keep = new Set<number>();
  const toInsert: Array<{ values: Record<string, unknown>; p: PlannedSession }> = [];
  const relink: Array<{ id: number; p: PlannedSession }> = [];
  const updates: Array<{ id: number; values: Record<string, unknown> }> = [];

  planned.forEach((p, i) => {
    if (i % 200 === 0) onProgress('sessions', i, planned.length);
    const values = {
      code: p.code,
      guid: p.guid,
      kind: p.kind,
      status: p.status,
      title: p.title,
      subtitle: p.subtitle,
      abstract: p.abstract,
      language: p.language,
      level: p.level,
      track_id: p.track === null ? null : ids.trackIds.get(p.track)!,
      room_id: p.room === null ? null : ids.roomIds.get(p.room)!,
      sponsor_id: p.sponsoredBy === null ? null : ids.sponsorIds.get(p.sponsoredBy)!,
      starts_at: p.startsAt,
      ends_at: p.endsAt,
      duration_minutes: p.durationMinutes,
      // A document lists where sessions are: an imported session is on the grid.
      placed: 1,
    };
    const row = byGuid.get(p.guid) ?? byCode.get(p.code);
    if (!row || keep.has(row.id)) {
      toInsert.push({ values, p });
      return;
    }
    keep.add(row.id);
    const wantSpeakers = p.speakers.map((c) => ids.speakerIds.get(c)!).join(',');
    const wantLinks = p.links.map((l) => `|${l.kind} ${l.title} ${l.url}`).join('');
    const peopleChanged = (speakersOf.get(row.id) ?? []).join(',') !== wantSpeakers || (linksOf.get(row.id) ?? '') !== wantLinks;
    if (differs(row, values) || peopleChanged) {
      relink.push({ id: row.id, p });
      updates.push({ id: row.id, values });
      count.changed++;
    }
  });
  // GUIDs are unique across all events: a new session whose GUID another event already uses (the
  // same schedule imported under two slugs) is refused by name rather than failing on the index.
  const taken = new Map<string, string>();
  for (const part of chunks(
    toInsert.map(({ p }) => p.guid),
    500,
  )) {
    const clash = await trx
      .selectFrom('sessions')
      .innerJoin('events', 'events.id', 'sessions.event_id')
      .select(['sessions.guid', 'events.slug'])
      .where('sessions.guid', 'in', part)
      .where('sessions.event_id', '!=', eventId)
      .execute();
    for (const c of clash) taken.set(c.guid, c.slug);
  }
  if (taken.size > 0) {
    const at = new Map(planned.map((p, i) => [p.guid, i]));
    throw ScheduleErrors.documentInvalid(
      [...taken]
        .sort(([a], [b]) => at.get(a)! - at.get(b)!)
        .map(([guid, slug]) => ({ path: `sessions[${at.get(guid)}].guid`, message: `GUID ${guid} already belongs to a session of event "${slug}"` })),
    );
  }
  const gone = rows.filter((r) => !keep.has(r.id)).map((r) => r.id);
  for (const part of chunks(gone, 500)) await trx.deleteFrom('sessions').where('id', 'in', part).execute();
  count.removed = gone.length;
  for (const u of updates) {
    await trx
      .updateTable('sessions')
      .set((eb) => ({ ...u.values, updated_at: ts, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', u.id)
      .execute();
  }
  for (const { id } of relink) {
    await trx.deleteFrom('session_speakers').where('session_id', '=', id).execute();
    await trx.deleteFrom('session_links').where('session_id', '=', id).execute();
  }
  let done = 0;
  for (const part of chunks(toInsert, 50)) {
    const inserted = await trx
      .insertInto('sessions')
      .values(part.map(({ values }) => ({ ...values, event_id: eventId, created_at: ts, updated_at: ts })) as never)
      .returning(['id', 'guid'])
      .execute();
    const idByGuid = new Map(inserted.map((r) => [r.guid, r.id]));
    for (const { p } of part) relink.push({ id: idByGuid.get(p.guid)!, p });
    done += part.length;
    onProgress('sessions', done, toInsert.length);
  }
  count.added = toInsert.length;

  const speakerValues = relink.flatMap(({ id, p }) => p.speakers.map((c, position) => ({ session_id: id, speaker_id: ids.speakerIds.get(c)!, position })));
  for (const part of chunks(speakerValues, 300)) await trx.insertInto('session_speakers').values(part).execute();
  const linkValues = relink.flatMap(({ id, p }) => p.links.map((l, position) => ({ session_id: id, kind: l.kind, title: l.title, url: l.url, position })));
  for (const part of chunks(linkValues, 200)) await trx.insertInto('session_links').values(part).execute();
  return count;
}

/** True when any of `wanted`'s fields differs from the row's. */
function differs(row: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(wanted)) if ((row[k] ?? null) !== (v ?? null)) return true;
  return false;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
