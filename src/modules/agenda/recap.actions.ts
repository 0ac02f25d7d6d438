import type { Db } from '../../db/database.js';
import { slugify } from '../../lib/slug.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { isUniqueViolation, lockEventForWrite, nowInstant, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../events/fields.schemas.js';
import { AgendaErrors } from './agenda.errors.js';
import { freshSnapshots, loadPublishedEvent, requireActor, starredSessionIds, type SnapshotSource } from './agenda.queries.js';
import { CreateRecapSchema, PublishRecapSchema, RESERVED_RECAP_SLUGS, SaveRecapSchema } from './agenda.schemas.js';
import { buildRecapDraft, type DraftNote, type RecapSectionDraft } from './recap-draft.js';
import { getMyRecap, type Recap } from './recap.queries.js';

/*
 * Recap use cases. A recap is private (a draft) until its author publishes it; then it is
 * public, attributed to the author's display name, at a permalink unique in the event (kept
 * when unpublished and published again). Every action finds the recap with `user_id = actor`,
 * so another person's recap is NOT_FOUND.
 *
 * Whatever changes what the public sees (publish, unpublish, saving or deleting a published
 * recap) bumps the event's version in the same transaction: the event's cached public pages
 * (recaps list and feed, session pages listing "recaps mentioning this session") are rendered
 * per version, so they refresh at once. Draft edits touch nothing public and bump nothing.
 */

/**
 * Writes a first draft from the actor's stars and notes in a published event (optionally one
 * programme day): one section per attended session, chronological (see buildRecapDraft).
 * Side effects: recaps row and its sections.
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404), VALIDATION_FAILED (422: day),
 *   RECAP_NOTHING_TO_RECAP (409: no stars or notes there).
 */
export async function createRecapDraft(db: Db, actor: Actor | null, eventId: number, input: unknown = {}, snapshots: SnapshotSource = freshSnapshots(db)): Promise<Recap> {
  const me = requireActor(actor);
  const { day } = parseInput(CreateRecapSchema, input);
  await loadPublishedEvent(db, eventId);
  const snap = await snapshots(eventId);
  if (!snap) throw AgendaErrors.eventNotFound(eventId);
  if (day !== undefined && !snap.days.includes(day)) throw EventErrors.validationFailed([{ path: 'day', message: 'is not a day of this event' }]);
  const [starred, noteRows] = await Promise.all([
    starredSessionIds(db, me.userId, eventId),
    db.selectFrom('session_notes').select(['session_id', 'body', 'qa']).where('user_id', '=', me.userId).where('event_id', '=', eventId).execute(),
  ]);
  const notes = new Map<number, DraftNote>(noteRows.map((n) => [n.session_id, { body: n.body, qa: n.qa }]));
  const draft = buildRecapDraft(snap, { starred, notes }, day === undefined ? {} : { day });
  if (draft.sections.length === 0) throw AgendaErrors.recapNothingToRecap();
  const now = nowInstant();
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('recaps')
      .values({ event_id: eventId, user_id: me.userId, title: draft.title, introduction: draft.introduction, status: 'draft', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeSections(trx, row.id, draft.sections);
    return row.id;
  });
  return getMyRecap(db, me, id);
}

/**
 * Saves the actor's recap as edited: title, introduction and the whole list of sections in
 * their new order (sorted by `position` when given; `remove` drops one). A published recap
 * stays published and shows the edit at once. Section titles follow the programme.
 * Side effects: recaps row (updated_at), sections replaced; a published recap's event version bumped.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404: not the actor's), VALIDATION_FAILED (422: a
 *   field; a session not of this event or listed twice, path `sections[i].sessionId`).
 */
export async function saveRecapDraft(db: Db, actor: Actor | null, recapId: number, input: unknown): Promise<Recap> {
  const me = requireActor(actor);
  const data = parseInput(SaveRecapSchema, input);
  const ordered = data.sections
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !s.remove)
    .sort((a, b) => (a.s.position ?? a.i) - (b.s.position ?? b.i) || a.i - b.i);
  return db.transaction().execute(async (trx) => {
    const recap = await getMyRecap(trx, me, recapId);
    const ids = ordered.map(({ s }) => s.sessionId).filter((x): x is number => x !== null);
    const sessions = ids.length
      ? await trx.selectFrom('sessions').select(['id', 'title']).where('event_id', '=', recap.eventId).where('id', 'in', ids).execute()
      : [];
    const titles = new Map(sessions.map((s) => [s.id, s.title]));
    const problems: { path: string; message: string }[] = [];
    const seen = new Set<number>();
    for (const { s, i } of ordered) {
      if (s.sessionId === null) continue;
      if (!titles.has(s.sessionId)) problems.push({ path: `sections[${i}].sessionId`, message: 'is not a session of this event' });
      else if (seen.has(s.sessionId)) problems.push({ path: `sections[${i}].sessionId`, message: 'is listed twice' });
      seen.add(s.sessionId);
    }
    if (problems.length) throw EventErrors.validationFailed(problems);
    const stored = new Map(recap.sections.map((s) => [s.sessionId, s.title]));
    const sections: RecapSectionDraft[] = ordered.map(({ s }) => ({
      sessionId: s.sessionId,
      title: s.sessionId === null ? s.title.trim() || stored.get(null) || 'Untitled session' : titles.get(s.sessionId)!,
      notes: s.notes,
      qa: s.qa,
    }));
    if (recap.status === 'published') await lockEventForWrite(trx, recap.eventId);
    await trx.updateTable('recaps').set({ title: data.title, introduction: data.introduction, updated_at: nowInstant() }).where('id', '=', recapId).execute();
    await trx.deleteFrom('recap_sections').where('recap_id', '=', recapId).execute();
    await writeSections(trx, recapId, sections);
    return getMyRecap(trx, me, recapId);
  });
}

/**
 * Publishes the actor's draft on its (published) event: public, attributed, at a permalink.
 * The slug is the one given, else the one it had before, else made from the title with -2, -3…
 * until unique in the event. The first publication date is kept across unpublish/publish.
 * Side effects: recaps row (status, slug, published_at, updated_at), event version bumped.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404), EVENT_NOT_FOUND (404), VALIDATION_FAILED
 *   (422: slug), RECAP_SLUG_TAKEN (409: the given slug), RECAP_TRANSITION_INVALID (409: already published).
 */
export async function publishRecap(db: Db, actor: Actor | null, recapId: number, input: unknown = {}): Promise<Recap> {
  const me = requireActor(actor);
  const { slug: wanted } = parseInput(PublishRecapSchema, input);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const recap = await getMyRecap(trx, me, recapId);
        if (recap.status !== 'draft') throw AgendaErrors.recapTransitionInvalid('publish', recap.status);
        await loadPublishedEvent(trx, recap.eventId);
        await lockEventForWrite(trx, recap.eventId);
        let slug = wanted ?? recap.slug;
        if (slug !== null && slug !== recap.slug && (await slugOwner(trx, recap.eventId, slug)) !== undefined) throw AgendaErrors.recapSlugTaken(slug);
        slug ??= await freeSlug(trx, recap.eventId, slugify(recap.title));
        const now = nowInstant();
        await trx
          .updateTable('recaps')
          .set({ status: 'published', slug, published_at: recap.publishedAt ?? now, updated_at: now })
          .where('id', '=', recapId)
          .execute();
        return getMyRecap(trx, me, recapId);
      });
    } catch (err) {
      // Two recaps publishing one slug at once: the loser of the UNIQUE constraint.
      if (!isUniqueViolation(err)) throw err;
      if (wanted !== undefined) throw AgendaErrors.recapSlugTaken(wanted);
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * Takes the actor's published recap back to a draft (private again; its permalink is kept for
 * when it is published again). Side effects: recaps row, event version bumped.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404), RECAP_TRANSITION_INVALID (409: a draft).
 */
export async function unpublishRecap(db: Db, actor: Actor | null, recapId: number): Promise<Recap> {
  const me = requireActor(actor);
  return db.transaction().execute(async (trx) => {
    const recap = await getMyRecap(trx, me, recapId);
    if (recap.status !== 'published') throw AgendaErrors.recapTransitionInvalid('unpublish', recap.status);
    await lockEventForWrite(trx, recap.eventId);
    await trx.updateTable('recaps').set({ status: 'draft', updated_at: nowInstant() }).where('id', '=', recapId).execute();
    return getMyRecap(trx, me, recapId);
  });
}

/**
 * Deletes the actor's recap (draft or published) and its sections; deleting a published one
 * bumps the event version.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404).
 */
export async function deleteRecap(db: Db, actor: Actor | null, recapId: number): Promise<void> {
  const me = requireActor(actor);
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('recaps').select(['event_id', 'status']).where('id', '=', recapId).where('user_id', '=', me.userId).executeTakeFirst();
    if (!row) throw AgendaErrors.notFound('recap');
    if (row.status === 'published') await lockEventForWrite(trx, row.event_id);
    await trx.deleteFrom('recaps').where('id', '=', recapId).where('user_id', '=', me.userId).execute();
  });
}

async function writeSections(trx: Trx, recapId: number, sections: readonly RecapSectionDraft[]): Promise<void> {
  if (!sections.length) return;
  await trx
    .insertInto('recap_sections')
    .values(sections.map((s, position) => ({ recap_id: recapId, session_id: s.sessionId, position, title: s.title, notes: s.notes, qa: s.qa })))
    .execute();
}

async function slugOwner(trx: Trx, eventId: number, slug: string): Promise<number | undefined> {
  return (await trx.selectFrom('recaps').select('id').where('event_id', '=', eventId).where('slug', '=', slug).executeTakeFirst())?.id;
}

/** `base`, or `base-2`, `base-3`… whichever no recap of the event uses yet. */
async function freeSlug(trx: Trx, eventId: number, base: string): Promise<string> {
  const rows = await trx
    .selectFrom('recaps')
    .select('slug')
    .where('event_id', '=', eventId)
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
    .execute();
  const taken = new Set<string | null>([...rows.map((r) => r.slug), ...RESERVED_RECAP_SLUGS]);
  let n = 1;
  let slug = base;
  while (taken.has(slug)) slug = `${base}-${++n}`;
  return slug;
}
