import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import { AgendaErrors } from './agenda.errors.js';
import { freshSnapshots, requireActor, type SnapshotSource } from './agenda.queries.js';
import type { RecapRow } from './agenda.table.js';
import { recapMarkdown, recapSummary, type RecapDraft, type RecapSectionDraft } from './recap-draft.js';

/*
 * Reads of recaps. A draft is only ever read with `user_id = actor` in the query (someone
 * else's draft is NOT_FOUND, like a missing one); public reads filter on status = 'published'.
 */

export const RECAP_STATUSES = ['draft', 'published'] as const;
export type RecapStatus = (typeof RECAP_STATUSES)[number];

export interface RecapSection extends RecapSectionDraft {
  readonly position: number;
}

export interface Recap extends RecapDraft {
  readonly id: number;
  readonly eventId: number;
  readonly userId: number;
  /** The author's display name (recaps are attributed). */
  readonly authorName: string;
  readonly status: RecapStatus;
  /** Permalink within the event; null until first published. */
  readonly slug: string | null;
  readonly publishedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sections: readonly RecapSection[];
}

/** A recap with its sections, by a query already restricted to what the caller may see. */
async function loadRecap(
  db: DbOrTrx,
  where: { id?: number; userId?: number; eventId?: number; slug?: string; publishedOnly?: boolean },
): Promise<Recap | undefined> {
  let q = db.selectFrom('recaps').innerJoin('users', 'users.id', 'recaps.user_id').selectAll('recaps').select('users.display_name as author_name');
  if (where.id !== undefined) q = q.where('recaps.id', '=', where.id);
  if (where.userId !== undefined) q = q.where('recaps.user_id', '=', where.userId);
  if (where.eventId !== undefined) q = q.where('recaps.event_id', '=', where.eventId);
  if (where.slug !== undefined) q = q.where('recaps.slug', '=', where.slug);
  // Public reads: a published recap of a published event (an unpublished event hides its recaps).
  if (where.publishedOnly)
    q = q
      .where('recaps.status', '=', 'published')
      .where('recaps.event_id', 'in', (eb) => eb.selectFrom('events').select('events.id').where('events.published', '=', 1));
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const sections = await db.selectFrom('recap_sections').selectAll().where('recap_id', '=', row.id).orderBy('position').execute();
  return {
    ...toRecapHead(row, row.author_name),
    sections: sections.map((s) => ({ sessionId: s.session_id, title: s.title, notes: s.notes, qa: s.qa, position: s.position })),
  };
}

function toRecapHead(r: RecapRow, authorName: string): Omit<Recap, 'sections'> {
  return {
    id: r.id,
    eventId: r.event_id,
    userId: r.user_id,
    authorName,
    title: r.title,
    introduction: r.introduction,
    status: r.status as RecapStatus,
    slug: r.slug,
    publishedAt: r.published_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The actor's own recap (draft or published).
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404: no such recap, or someone else's).
 */
export async function getMyRecap(db: DbOrTrx, actor: Actor | null, recapId: number): Promise<Recap> {
  const me = requireActor(actor);
  const recap = await loadRecap(db, { id: recapId, userId: me.userId });
  if (!recap) throw AgendaErrors.notFound('recap');
  return recap;
}

export interface RecapListItem {
  readonly id: number;
  readonly eventId: number;
  readonly title: string;
  readonly status: RecapStatus;
  readonly slug: string | null;
  readonly authorName: string;
  readonly publishedAt: string | null;
  readonly updatedAt: string;
  /** Plain text from the introduction (Atom <summary>). */
  readonly summary: string;
}

function listQuery(db: Db) {
  return db
    .selectFrom('recaps')
    .innerJoin('users', 'users.id', 'recaps.user_id')
    .select([
      'recaps.id',
      'recaps.event_id',
      'recaps.title',
      'recaps.status',
      'recaps.slug',
      'recaps.introduction',
      'recaps.published_at',
      'recaps.updated_at',
      'users.display_name',
    ]);
}

function toListItem(r: {
  id: number;
  event_id: number;
  title: string;
  status: string;
  slug: string | null;
  introduction: string;
  published_at: string | null;
  updated_at: string;
  display_name: string;
}): RecapListItem {
  return {
    id: r.id,
    eventId: r.event_id,
    title: r.title,
    status: r.status as RecapStatus,
    slug: r.slug,
    authorName: r.display_name,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    summary: recapSummary(r.introduction),
  };
}

/** The actor's recaps of an event, newest first. @throws UNAUTHENTICATED (401). */
export async function listMyRecaps(db: Db, actor: Actor | null, eventId: number): Promise<RecapListItem[]> {
  const me = requireActor(actor);
  const rows = await listQuery(db)
    .where('recaps.user_id', '=', me.userId)
    .where('recaps.event_id', '=', eventId)
    .orderBy('recaps.updated_at', 'desc')
    .orderBy('recaps.id', 'desc')
    .execute();
  return rows.map(toListItem);
}

/**
 * The published recaps of an event, newest publication first: the event's recaps page and its
 * Atom feed (id, title, author, published, updated, summary; the permalink from `slug`).
 */
export async function listPublishedRecaps(db: Db, eventId: number): Promise<RecapListItem[]> {
  const rows = await listQuery(db)
    .where('recaps.event_id', '=', eventId)
    .where('recaps.status', '=', 'published')
    .orderBy('recaps.published_at', 'desc')
    .orderBy('recaps.id', 'desc')
    .execute();
  return rows.map(toListItem);
}

/**
 * The published recaps of an event (as listPublishedRecaps) each with its whole Markdown, for the
 * Atom feed's full content: three queries whatever the number of recaps (recaps, all their
 * sections, the programme from `snapshots`). Sanitise the Markdown when rendering it.
 */
export async function listPublishedRecapsWithMarkdown(
  db: Db,
  eventId: number,
  snapshots: SnapshotSource = freshSnapshots(db),
): Promise<Array<RecapListItem & { readonly markdown: string }>> {
  const rows = await db
    .selectFrom('recaps')
    .innerJoin('users', 'users.id', 'recaps.user_id')
    .selectAll('recaps')
    .select('users.display_name as author_name')
    .where('recaps.event_id', '=', eventId)
    .where('recaps.status', '=', 'published')
    .orderBy('recaps.published_at', 'desc')
    .orderBy('recaps.id', 'desc')
    .execute();
  if (rows.length === 0) return [];
  const sections = await db
    .selectFrom('recap_sections')
    .selectAll()
    .where(
      'recap_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('recap_id')
    .orderBy('position')
    .execute();
  const snap = (await snapshots(eventId)) ?? null;
  return rows.map((r) => {
    const recap: Recap = {
      ...toRecapHead(r, r.author_name),
      sections: sections
        .filter((x) => x.recap_id === r.id)
        .map((x) => ({ sessionId: x.session_id, title: x.title, notes: x.notes, qa: x.qa, position: x.position })),
    };
    return { ...toListItem({ ...r, display_name: r.author_name }), markdown: recapMarkdown(recap, snap) };
  });
}

/** The events where the person has a published recap (their name shows there as its author). */
export async function eventIdsWithPublishedRecapsBy(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('recaps')
    .select('event_id')
    .distinct()
    .where('user_id', '=', userId)
    .where('status', '=', 'published')
    .orderBy('event_id')
    .execute();
  return rows.map((r) => r.event_id);
}

/** The published recaps with a section on the session (for its session page), newest first. */
export async function listRecapsMentioningSession(db: Db, sessionId: number): Promise<RecapListItem[]> {
  const rows = await listQuery(db)
    .where('recaps.status', '=', 'published')
    .where('recaps.id', 'in', (eb) => eb.selectFrom('recap_sections').select('recap_sections.recap_id').where('recap_sections.session_id', '=', sessionId))
    .orderBy('recaps.published_at', 'desc')
    .orderBy('recaps.id', 'desc')
    .execute();
  return rows.map(toListItem);
}

/**
 * A published recap by its permalink, with its Markdown (sanitise it when rendering: it is
 * the author's text).
 * @throws NOT_FOUND (404: no such recap, or not published).
 */
export async function getPublishedRecap(
  db: Db,
  eventId: number,
  slug: string,
  snapshots: SnapshotSource = freshSnapshots(db),
): Promise<{ recap: Recap; markdown: string }> {
  const recap = await loadRecap(db, { eventId, slug, publishedOnly: true });
  if (!recap) throw AgendaErrors.notFound('recap');
  return { recap, markdown: recapMarkdown(recap, (await snapshots(eventId)) ?? null) };
}

/**
 * A recap as a Markdown file: the actor's own (draft or published), or anyone's published one.
 * @throws NOT_FOUND (404: no such recap, or another person's draft).
 */
export async function exportRecapMarkdown(
  db: Db,
  actor: Actor | null,
  recapId: number,
  snapshots: SnapshotSource = freshSnapshots(db),
): Promise<{ filename: string; markdown: string; recap: Recap }> {
  const own = actor ? await loadRecap(db, { id: recapId, userId: actor.userId }) : undefined;
  const recap = own ?? (await loadRecap(db, { id: recapId, publishedOnly: true }));
  if (!recap) throw AgendaErrors.notFound('recap');
  const markdown = recapMarkdown(recap, (await snapshots(recap.eventId)) ?? null);
  return { filename: `${recap.slug ?? `recap-${recap.id}`}.md`, markdown, recap };
}
