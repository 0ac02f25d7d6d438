import { slugify } from '../../lib/slug.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { localLabel } from '../events/event-dates.js';
import { definedOnly, ensureAllowed, nextPosition, scopeOf, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { toSpeakerRecord, type SpeakerRecord } from './records.js';
import { SpeakerErrors } from './speaker.errors.js';
import { canCreateSpeaker, canEditSpeaker } from './speaker.policy.js';
import { SpeakerSchema, UpdateSpeakerSchema } from './speaker.schemas.js';
import { withEventWrite, type EventWrite } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

/**
 * Adds a speaker profile to the event. Its code (used in URLs and exports) is made from the name
 * and made unique in the event (`ada-lovelace`, `ada-lovelace-2`); it never changes afterwards.
 * Organizers and track managers may add speakers.
 * Side effects, in one transaction: speakers row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422, e.g. `handles.github`), FORBIDDEN (403), NOT_FOUND (404: event).
 */
export async function createSpeaker(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<SpeakerRecord> {
  const data = parseInput(SpeakerSchema, input);
  const base = slugify(data.name);
  return withEventWrite(ctx, actor, eventId, { may: canCreateSpeaker, what: 'add speakers to this event' }, async ({ trx, audit }) => {
    const row = await trx
      .insertInto('speakers')
      .values({
        event_id: eventId,
        code: await uniqueSpeakerCode(trx, eventId, base),
        name: data.name,
        job_title: data.jobTitle,
        company: data.company,
        bio: data.bio,
        avatar_url: data.avatarUrl,
        handles: JSON.stringify(data.handles),
        position: await nextPosition(trx, 'speakers', eventId),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    audit({ action: 'speaker.created', entityType: 'speaker', entityId: row.id, summary: `Added speaker ${row.name} (${row.code})` });
    return toSpeakerRecord(row);
  });
}

/**
 * Changes a speaker's profile (absent fields are kept; `handles` replaces the whole set). The
 * code stays, so links to the speaker's page keep working after a rename.
 * Side effects, in one transaction: speakers row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403: a track manager and the speaker also speaks
 *   outside their tracks), NOT_FOUND (404: event, or a speaker not of this event).
 */
export async function updateSpeaker(ctx: ModuleContext, actor: Actor | null, eventId: number, speakerId: number, input: unknown): Promise<SpeakerRecord> {
  const data = parseInput(UpdateSpeakerSchema, input);
  return withEventWrite(ctx, actor, eventId, EDIT_SPEAKERS, async ({ trx, event, audit }) => {
    const { before } = await findEditable(trx, actor, event, speakerId, 'edit this speaker');
    const values = definedOnly({
      name: data.name,
      job_title: data.jobTitle,
      company: data.company,
      bio: data.bio,
      avatar_url: data.avatarUrl,
      handles: data.handles === undefined ? undefined : JSON.stringify(data.handles),
    });
    const row = Object.keys(values).length
      ? await trx.updateTable('speakers').set(values).where('id', '=', speakerId).returningAll().executeTakeFirstOrThrow()
      : before;
    const changed = Object.keys(values).filter((k) => values[k as keyof typeof values] !== before[k as keyof typeof before]);
    audit({
      action: 'speaker.updated',
      entityType: 'speaker',
      entityId: speakerId,
      summary: `Updated speaker ${row.name}${row.name !== before.name ? ` (was ${before.name})` : ''}: ${changed.length ? changed.join(', ').replace(/_/g, ' ') : 'no changes'}`,
    });
    return toSpeakerRecord(row);
  });
}

/**
 * Removes a speaker profile that no session lists (cancelled sessions included).
 * Side effects, in one transaction: speakers row deleted, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), SPEAKER_HAS_SESSIONS (409: one problem per session).
 */
export async function deleteSpeaker(ctx: ModuleContext, actor: Actor | null, eventId: number, speakerId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, EDIT_SPEAKERS, async ({ trx, event, audit }) => {
    const { before, sessions } = await findEditable(trx, actor, event, speakerId, 'delete this speaker');
    if (sessions.length) {
      throw SpeakerErrors.hasSessions(
        before.name,
        sessions.map((s) => ({
          path: 'sessions',
          message: `"${s.title}" (${s.code}, ${localLabel(s.starts_at, event.time_zone)}${s.status === 'cancelled' ? ', cancelled' : ''})`,
        })),
      );
    }
    await trx.deleteFrom('speakers').where('id', '=', speakerId).execute();
    audit({ action: 'speaker.deleted', entityType: 'speaker', entityId: speakerId, summary: `Removed speaker ${before.name} (${before.code})` });
  });
}

const EDIT_SPEAKERS = { may: canCreateSpeaker, what: 'edit the speakers of this event' };

/** Finds the speaker in the (locked) event with their sessions, and checks the policy. */
async function findEditable(trx: Trx, actor: Actor | null, event: EventRow, speakerId: number, what: string) {
  const eventId = event.id;
  const before = await trx.selectFrom('speakers').selectAll().where('id', '=', speakerId).where('event_id', '=', eventId).executeTakeFirst();
  if (!before) throw EventErrors.notFound('speaker', speakerId);
  const sessions = await trx
    .selectFrom('session_speakers')
    .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
    .select(['sessions.code', 'sessions.title', 'sessions.starts_at', 'sessions.status', 'sessions.track_id'])
    .where('session_speakers.speaker_id', '=', speakerId)
    .orderBy('sessions.starts_at')
    .execute();
  ensureAllowed(
    canEditSpeaker(
      actor,
      scopeOf(event),
      sessions.map((s) => s.track_id),
    ),
    what,
  );
  return { before, sessions };
}

/** `base`, or `base-2`, `base-3`…: the first speaker code not yet used in the event. */
async function uniqueSpeakerCode(trx: Trx, eventId: number, base: string): Promise<string> {
  const rows = await trx
    .selectFrom('speakers')
    .select('code')
    .where('event_id', '=', eventId)
    .where((eb) => eb.or([eb('code', '=', base), eb('code', 'like', `${base}-%`)]))
    .execute();
  const used = new Set(rows.map((r) => r.code));
  let code = base;
  for (let n = 2; used.has(code); n++) code = `${base}-${n}`;
  return code;
}

/**
 * The event's speaker profile of an account, created (named after the account) when it has
 * none yet: how people who proposed a session become speakers of it. Runs in the caller's
 * transaction, a step of its write (withEventWrite) on the event.
 * Side effects: a speakers row and an audit row when the profile is new.
 */
export async function speakerProfileFor(
  { trx, event, audit }: Pick<EventWrite, 'trx' | 'event' | 'audit'>,
  user: { id: number; displayName: string },
): Promise<number> {
  const existing = await trx
    .selectFrom('speakers')
    .select('id')
    .where('event_id', '=', event.id)
    .where('user_id', '=', user.id)
    .orderBy('id')
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await trx
    .insertInto('speakers')
    .values({
      event_id: event.id,
      code: await uniqueSpeakerCode(trx, event.id, slugify(user.displayName)),
      name: user.displayName,
      position: await nextPosition(trx, 'speakers', event.id),
      user_id: user.id,
    })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
  audit({ action: 'speaker.created', entityType: 'speaker', entityId: row.id, summary: `Added speaker ${user.displayName} (${row.code})` });
  return row.id;
}
