import type { Db } from '../../db/database.js';
import { EventErrors } from './event.errors.js';
import { communityOrganizers, memberCount } from './membership.queries.js';

/*
 * What the public page of a community (a meetup group) shows: the community, its published
 * events (cancelled ones marked), its member count and its organizers' names. Four indexed
 * reads, the same for everyone; no per-person state.
 */

export interface CommunityPageEvent {
  readonly id: number;
  readonly slug: string;
  readonly kind: string;
  readonly title: string;
  readonly timeZone: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly venueName: string;
  readonly cancelled: boolean;
  readonly version: number;
  readonly updatedAt: string;
}

export interface CommunityPageData {
  readonly community: { readonly id: number; readonly slug: string; readonly name: string; readonly description: string; readonly url: string | null };
  readonly events: readonly CommunityPageEvent[];
  readonly memberCount: number;
  readonly organizers: readonly string[];
}

/**
 * The public data of a community page.
 * @throws NOT_FOUND (404) when no community has this slug.
 */
export async function loadCommunityPage(db: Db, slug: string): Promise<CommunityPageData> {
  const community = await db.selectFrom('communities').select(['id', 'slug', 'name', 'description', 'url']).where('slug', '=', slug).executeTakeFirst();
  if (!community) throw EventErrors.notFound('community', slug);
  const [events, count, organizers] = await Promise.all([
    db
      .selectFrom('events')
      .select([
        'id',
        'slug',
        'kind',
        'title',
        'time_zone',
        'start_date',
        'end_date',
        'venue_name',
        'cancelled_at',
        'public_version',
        'public_updated_at',
        'updated_at',
      ])
      .where('community_id', '=', community.id)
      .where('published', '=', 1)
      .orderBy('start_date')
      .orderBy('id')
      .execute(),
    memberCount(db, community.id),
    communityOrganizers(db, community.id),
  ]);
  return {
    community,
    memberCount: count,
    organizers,
    events: events.map((e) => ({
      id: e.id,
      slug: e.slug,
      kind: e.kind,
      title: e.title,
      timeZone: e.time_zone,
      startDate: e.start_date,
      endDate: e.end_date,
      venueName: e.venue_name,
      cancelled: e.cancelled_at !== null,
      version: e.public_version,
      updatedAt: e.public_updated_at ?? e.updated_at,
    })),
  };
}
