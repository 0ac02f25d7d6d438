import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from '../events/event.errors.js';
import { withEventWrite, type EventWrite, type Writer } from '../events/event-write.js';
import { ensureAllowed, scopeOf } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { signalRelease } from '../live/live.queries.js';
import { loadProgramSnapshot } from './snapshot.queries.js';
import { defaultReleaseName, diffReleases, type ReleaseChange, type ReleaseNotifications } from './release.js';
import { ReleaseErrors } from './release.errors.js';
import { queueReleaseMails, speakerNotices, type ReleaseMailContext, type SpeakerNotice } from './release-mail.js';
import {
  changeDetails,
  findLatestRelease,
  listReleasesWithChanges,
  readDraftSlots,
  readReleaseChanges,
  readReleaseSlots,
  releaseNames,
  toReleaseRecord,
  type ReleaseRecord,
  type ReleaseWithChanges,
} from './release.queries.js';
import { ReleaseScheduleSchema } from './release.schemas.js';

/** What releasing needs: the database, the clock, and where mails' links point. */
export interface ReleaseContext extends ModuleContext, ReleaseMailContext {}

/** What a release would do now: its changes and the speakers who would be mailed. */
export interface ReleasePreview {
  readonly latest: ReleaseRecord | null;
  readonly nextName: string;
  readonly changes: readonly ReleaseChange[];
  readonly notices: readonly SpeakerNotice[];
}

export interface ReleaseResult {
  readonly release: ReleaseRecord;
  readonly changes: readonly ReleaseChange[];
  readonly notices: readonly SpeakerNotice[];
  readonly mailsQueued: number;
}

const RULE = { may: canManageEvent, what: 'release the programme of this event' };

/**
 * What releasing the draft now would change, and whom it would mail; organizers read it before
 * they release (and decide whether to hold the mails). Writes nothing.
 * @throws NOT_FOUND (404), FORBIDDEN (403).
 */
export async function previewRelease(ctx: ModuleContext, actor: Actor | null, eventId: number): Promise<ReleasePreview> {
  return ctx.db.transaction().execute(async (trx) => {
    const event = await trx.selectFrom('events').select(['id', 'community_id']).where('id', '=', eventId).executeTakeFirst();
    if (!event) throw EventErrors.notFound('event', eventId);
    ensureAllowed(RULE.may(actor, scopeOf(event)), RULE.what);
    const latest = await findLatestRelease(trx, eventId);
    const changes = diffReleases(latest ? await readReleaseSlots(trx, latest.id) : [], await readDraftSlots(trx, eventId));
    const nextName = defaultReleaseName((latest?.number ?? 0) + 1, await releaseNames(trx, eventId));
    return { latest: latest ?? null, nextName, changes, notices: await speakerNotices(trx, changes) };
  });
}

/**
 * The event's releases, newest first, each with its changelog, as organizers see them (back
 * office and organizer API: who released, whether the speaker mails went). Writes nothing.
 * @throws NOT_FOUND (404), FORBIDDEN (403: organizers only).
 */
export async function listEventReleases(ctx: ModuleContext, actor: Actor | null, eventId: number): Promise<ReleaseWithChanges[]> {
  const event = await ctx.db.selectFrom('events').select(['id', 'community_id']).where('id', '=', eventId).executeTakeFirst();
  if (!event) throw EventErrors.notFound('event', eventId);
  ensureAllowed(RULE.may(actor, scopeOf(event)), 'see the releases of this event');
  return listReleasesWithChanges(ctx.db, eventId);
}

/**
 * Releases the draft programme as a new, immutable version: public pages, API, exports, iCal
 * and webhooks show it from now on; the first release publishes the event. Speakers whose
 * sessions are new, moved, cancelled or removed get one mail each unless the organizer holds them.
 * Side effects, in one transaction: schedule_releases row, release_sessions (every placed
 * session), release_changes (the changelog), events.published, outbox rows, version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403: organizers only), NOT_FOUND (404),
 *   RELEASE_NOTHING_CHANGED (409), RELEASE_NAME_TAKEN (409).
 */
export async function releaseSchedule(ctx: ReleaseContext, writer: Writer, eventId: number, input: unknown): Promise<ReleaseResult> {
  const data = parseInput(ReleaseScheduleSchema, input);
  return withEventWrite(ctx, writer, eventId, RULE, (w) =>
    releaseDraftIn(w, writer, { name: data.name, comment: data.comment, mails: data.holdSpeakerMails ? 'hold' : ctx }),
  );
}

/**
 * The release itself, as a step of an event write the caller holds: releaseSchedule, and
 * publishing or importing an event that has no release yet (those hold the mails: nobody asked
 * for them). `mails` is where to queue them, or 'hold'.
 */
export async function releaseDraftIn(
  w: EventWrite,
  writer: Writer,
  options: { name: string; comment: string; mails: ReleaseMailContext | 'hold'; allowUnchanged?: boolean },
): Promise<ReleaseResult> {
  const { trx, event, now, audit } = w;
  const latest = await findLatestRelease(trx, event.id);
  const draft = await readDraftSlots(trx, event.id);
  const changes = diffReleases(latest ? await readReleaseSlots(trx, latest.id) : [], draft);
  if (latest && changes.length === 0 && !options.allowUnchanged) throw ReleaseErrors.nothingChanged(latest.name);
  const taken = await releaseNames(trx, event.id);
  const name = options.name || defaultReleaseName((latest?.number ?? 0) + 1, taken);
  if (taken.has(name)) throw ReleaseErrors.nameTaken(name);

  const row = await trx
    .insertInto('schedule_releases')
    .values({
      event_id: event.id,
      number: (latest?.number ?? 0) + 1,
      name,
      comment: options.comment,
      released_at: now,
      released_by: writer?.userId ?? null,
      released_by_label: writer?.displayName ?? '',
      change_count: changes.length,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const chunk of chunks(draft, 200)) {
    await trx
      .insertInto('release_sessions')
      .values(
        chunk.map((s) => ({
          release_id: row.id,
          session_id: s.sessionId,
          code: s.code,
          title: s.title,
          status: s.status,
          room_id: s.roomId,
          room_name: s.roomName,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          speaker_ids: JSON.stringify(s.speakerIds),
        })),
      )
      .execute();
  }
  for (const chunk of chunks(changes, 200)) {
    await trx
      .insertInto('release_changes')
      .values(chunk.map((c) => ({ release_id: row.id, session_id: c.sessionId, code: c.code, title: c.title, kind: c.kind, details: changeDetails(c) })))
      .execute();
  }
  if (event.published !== 1) await trx.updateTable('events').set({ published: 1 }).where('id', '=', event.id).execute();

  const notices = await speakerNotices(trx, changes);
  let mailsQueued = 0;
  let notifications: ReleaseNotifications = notices.some((n) => n.to) ? 'held' : 'none';
  if (options.mails !== 'hold' && notifications === 'held') {
    const snap = (await loadProgramSnapshot(trx, event.id))!;
    mailsQueued = await queueReleaseMails(trx, options.mails, event, name, notices, snap);
    notifications = 'sent';
  }
  const stored = await trx.updateTable('schedule_releases').set({ notifications }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
  // Open pages hear of it when the transaction commits (PostgreSQL NOTIFY; SQLite processes poll).
  await signalRelease(trx, event.id, stored.number);
  audit({
    action: 'schedule.released',
    entityType: 'release',
    entityId: row.id,
    summary: `Released version "${name}" of the programme: ${changes.length} change${changes.length === 1 ? '' : 's'}${
      mailsQueued ? `, ${mailsQueued} speaker mail${mailsQueued === 1 ? '' : 's'} queued` : notifications === 'held' ? ', speaker mails held' : ''
    }${event.published !== 1 ? '; the event is now public' : ''}`,
  });
  return { release: toReleaseRecord(stored), changes, notices, mailsQueued };
}

/**
 * Sends the speaker mails of a release whose mails were held (with the programme as it is
 * public now as the calendar attachment).
 * Side effects, in one transaction: outbox rows, schedule_releases.notifications = sent, version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404 event), RELEASE_NOT_FOUND (404), RELEASE_MAILS_NOT_HELD (409).
 */
export async function sendHeldReleaseMails(ctx: ReleaseContext, writer: Writer, eventId: number, releaseName: string): Promise<ReleaseResult> {
  return withEventWrite(ctx, writer, eventId, { may: canManageEvent, what: 'send the speaker mails of this release' }, async ({ trx, event, audit }) => {
    const row = await trx.selectFrom('schedule_releases').selectAll().where('event_id', '=', eventId).where('name', '=', releaseName).executeTakeFirst();
    if (!row) throw ReleaseErrors.notFound(releaseName);
    if (row.notifications !== 'held') throw ReleaseErrors.mailsNotHeld(releaseName, row.notifications);
    const changes = (await readReleaseChanges(trx, [row.id])).get(row.id)!;
    const notices = await speakerNotices(trx, changes);
    const snap = (await loadProgramSnapshot(trx, eventId))!;
    const mailsQueued = await queueReleaseMails(trx, ctx, event, row.name, notices, snap);
    const stored = await trx.updateTable('schedule_releases').set({ notifications: 'sent' }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    audit({
      action: 'schedule.release_mails_sent',
      entityType: 'release',
      entityId: row.id,
      summary: `Sent the held speaker mails of version "${row.name}": ${mailsQueued} mail${mailsQueued === 1 ? '' : 's'} queued`,
    });
    return { release: toReleaseRecord(stored), changes, notices, mailsQueued };
  });
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
