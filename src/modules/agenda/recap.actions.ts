import { slugify } from '../../lib/slug.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import type { ModuleContext } from '../context.js';
import { ANYONE, withEventWrite, type AuditNote } from '../events/event-write.js';
import { isUniqueViolation, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
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
export async function createRecapDraft(
  ctx: ModuleContext,
  actor: Actor | null,
  eventId: number,
  input: unknown = {},
  snapshots: SnapshotSource = freshSnapshots(ctx.db),
): Promise<Recap> {
  const { db } = ctx;
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
  const now = ctx.clock.instant();
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('recaps')
      .values({
        event_id: eventId,
        user_id: me.userId,
        title: draft.title,
        introduction: draft.introduction,
        status: 'draft',
        created_at: now,
        updated_at: now,
      })
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
export async function saveRecapDraft(ctx: ModuleContext, actor: Actor | null, recapId: number, input: unknown): Promise<Recap> {
  const me = requireActor(actor);
  const data = parseInput(SaveRecapSchema, input);
  const ordered = data.sections
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !s.remove)
    .sort((a, b) => (a.s.position ?? a.i) - (b.s.position ?? b.i) || a.i - b.i);
  const first = await getMyRecap(ctx.db, me, recapId);
  const note = { action: 'recap.updated', entityType: 'recap', entityId: recapId, summary: `Published recap "${data.title}" edited by its author` };
  return writeRecap(ctx, me, first, note, async (trx, now) => {
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
    await trx.updateTable('recaps').set({ title: data.title, introduction: data.introduction, updated_at: now }).where('id', '=', recapId).execute();
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
export async function publishRecap(ctx: ModuleContext, actor: Actor | null, recapId: number, input: unknown = {}): Promise<Recap> {
  const me = requireActor(actor);
  const { slug: wanted } = parseInput(PublishRecapSchema, input);
  for (let attempt = 0; ; attempt++) {
    try {
      const first = await getMyRecap(ctx.db, me, recapId);
      return await withEventWrite(ctx, me, first.eventId, ANYONE /* the recap's author: found by user_id */, async ({ trx, now, audit }) => {
        const recap = await getMyRecap(trx, me, recapId);
        if (recap.status !== 'draft') throw AgendaErrors.recapTransitionInvalid('publish', recap.status);
        await loadPublishedEvent(trx, recap.eventId);
        let slug = wanted ?? recap.slug;
        if (slug !== null && slug !== recap.slug && (await slugOwner(trx, recap.eventId, slug)) !== undefined) throw AgendaErrors.recapSlugTaken(slug);
        slug ??= await freeSlug(trx, recap.eventId, slugify(recap.title));
        await trx
          .updateTable('recaps')
          .set({ status: 'published', slug, published_at: recap.publishedAt ?? now, updated_at: now })
          .where('id', '=', recapId)
          .execute();
        audit({ action: 'recap.published', entityType: 'recap', entityId: recapId, summary: `Recap "${recap.title}" published by its author` });
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
export async function unpublishRecap(ctx: ModuleContext, actor: Actor | null, recapId: number): Promise<Recap> {
  const me = requireActor(actor);
  const first = await getMyRecap(ctx.db, me, recapId);
  return withEventWrite(ctx, me, first.eventId, ANYONE /* the recap's author: found by user_id */, async ({ trx, now, audit }) => {
    const recap = await getMyRecap(trx, me, recapId);
    if (recap.status !== 'published') throw AgendaErrors.recapTransitionInvalid('unpublish', recap.status);
    await trx.updateTable('recaps').set({ status: 'draft', updated_at: now }).where('id', '=', recapId).execute();
    audit({ action: 'recap.unpublished', entityType: 'recap', entityId: recapId, summary: `Recap "${recap.title}" taken back to a draft by its author` });
    return getMyRecap(trx, me, recapId);
  });
}

/**
 * Deletes the actor's recap (draft or published) and its sections; deleting a published one
 * bumps the event version.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404).
 */
export async function deleteRecap(ctx: ModuleContext, actor: Actor | null, recapId: number): Promise<void> {
  const me = requireActor(actor);
  const first = await getMyRecap(ctx.db, me, recapId);
  const note = { action: 'recap.deleted', entityType: 'recap', entityId: recapId, summary: `Published recap "${first.title}" deleted by its author` };
  await writeRecap(ctx, me, first, note, async (trx) => {
    await trx.deleteFrom('recaps').where('id', '=', recapId).where('user_id', '=', me.userId).execute();
  });
}

/**
 * Runs a change to the author's recap: through the event's write path (version bump, audit row
 * `note`) when the recap is published, since public pages show it; else in a plain transaction.
 */
async function writeRecap<T>(ctx: ModuleContext, me: Actor, recap: Recap, note: AuditNote, change: (trx: Trx, now: string) => Promise<T>): Promise<T> {
  if (recap.status !== 'published') return ctx.db.transaction().execute((trx) => change(trx, ctx.clock.instant()));
  return withEventWrite(ctx, me, recap.eventId, ANYONE /* the recap's author: found by user_id */, async ({ trx, now, audit }) => {
    const result = await change(trx, now);
    audit(note);
    return result;
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
