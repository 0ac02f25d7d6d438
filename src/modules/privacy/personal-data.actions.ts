import type { Clock } from '../../lib/clock.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../accounts/actor.js';
import { deleteAccount, exportUserData, FORMER_SPEAKER_NAME, type UserDataExport } from '../accounts/account-data.actions.js';
import { touchEventsIn, type WriteTx } from '../events/event-write.js';
import { unpublishRecap } from '../agenda/recap.actions.js';
import { listMyProposals } from '../cfp/proposal.queries.js';
import { personalInterestPicks } from '../interest/interest.queries.js';
import { cancelRsvp } from '../registration/rsvp.actions.js';
import { registrationContext } from '../registration/rsvp.queries.js';

/*
 * A person's data across every module. Accounts is the lowest module and knows nothing of RSVPs
 * or notes, so the whole-person use cases (download everything, delete the account) live here,
 * above all modules, and web, API and CLI call these rather than the accounts actions.
 */

export interface PersonalDataExport extends UserDataExport {
  readonly memberships: { community: string; joinedAt: string }[];
  readonly rsvps: {
    event: string;
    status: string;
    guests: number;
    answers: Record<string, string>;
    ticketType: string | null;
    createdAt: string;
    updatedAt: string;
    checkedInAt: string | null;
  }[];
  readonly sessionSignups: { event: string; session: string; status: string; createdAt: string }[];
  readonly starredSessions: { event: string; session: string; starredAt: string }[];
  /** Talks they ticked in events' interest polls while signed in (anonymous picks have no person). */
  readonly interestPicks: { event: string; talk: string; pickedAt: string }[];
  readonly notes: { event: string; session: string; body: string; qa: string; updatedAt: string }[];
  readonly recaps: {
    event: string;
    title: string;
    introduction: string;
    status: string;
    slug: string | null;
    publishedAt: string | null;
    sections: { title: string; notes: string; qa: string }[];
  }[];
  readonly feedback: { event: string; session: string; rating: number; comment: string; updatedAt: string }[];
  readonly calendarFeeds: { event: string; createdAt: string; lastUsedAt: string | null }[];
  /** Proposals they submitted or are listed on as a co-speaker, with what they wrote. */
  readonly proposals: {
    event: string;
    code: string;
    state: string;
    title: string;
    format: string;
    abstract: string;
    description: string;
    notes: string;
    speakers: string[];
    submittedAt: string;
  }[];
  /** Reviews they wrote as a reviewer. */
  readonly reviews: { event: string; proposal: string; score: number; comment: string; updatedAt: string }[];
  /** When they said they can speak, per event (the schedule editor warns outside these). */
  readonly availability: { event: string; startsAt: string; endsAt: string }[];
}

/** Everything stored about the signed-in person (no secrets or hashes), as one JSON-ready object. */
export async function exportPersonalData(db: Db, actor: Actor): Promise<PersonalDataExport> {
  const account = await exportUserData(db, actor);
  const me = actor.userId;
  const [memberships, rsvps, signups, stars, notes, recaps, sections, feedback, feeds] = await Promise.all([
    db
      .selectFrom('community_members')
      .innerJoin('communities', 'communities.id', 'community_members.community_id')
      .select(['communities.slug', 'community_members.joined_at'])
      .where('user_id', '=', me)
      .orderBy('joined_at')
      .execute(),
    db
      .selectFrom('rsvps')
      .innerJoin('events', 'events.id', 'rsvps.event_id')
      .leftJoin('ticket_types', 'ticket_types.id', 'rsvps.ticket_type_id')
      .select([
        'events.slug',
        'rsvps.status',
        'rsvps.guests',
        'rsvps.answers',
        'ticket_types.name as ticket',
        'rsvps.created_at',
        'rsvps.updated_at',
        'rsvps.checked_in_at',
      ])
      .where('rsvps.user_id', '=', me)
      .orderBy('rsvps.id')
      .execute(),
    db
      .selectFrom('session_signups')
      .innerJoin('events', 'events.id', 'session_signups.event_id')
      .innerJoin('sessions', 'sessions.id', 'session_signups.session_id')
      .select(['events.slug', 'sessions.title', 'session_signups.status', 'session_signups.created_at'])
      .where('session_signups.user_id', '=', me)
      .orderBy('session_signups.id')
      .execute(),
    db
      .selectFrom('agenda_stars')
      .innerJoin('events', 'events.id', 'agenda_stars.event_id')
      .innerJoin('sessions', 'sessions.id', 'agenda_stars.session_id')
      .select(['events.slug', 'sessions.title', 'agenda_stars.created_at'])
      .where('agenda_stars.user_id', '=', me)
      .orderBy('agenda_stars.created_at')
      .execute(),
    db
      .selectFrom('session_notes')
      .innerJoin('events', 'events.id', 'session_notes.event_id')
      .innerJoin('sessions', 'sessions.id', 'session_notes.session_id')
      .select(['events.slug', 'sessions.title', 'session_notes.body', 'session_notes.qa', 'session_notes.updated_at'])
      .where('session_notes.user_id', '=', me)
      .orderBy('session_notes.id')
      .execute(),
    db
      .selectFrom('recaps')
      .innerJoin('events', 'events.id', 'recaps.event_id')
      .select(['recaps.id', 'events.slug', 'recaps.title', 'recaps.introduction', 'recaps.status', 'recaps.slug as recapSlug', 'recaps.published_at'])
      .where('recaps.user_id', '=', me)
      .orderBy('recaps.id')
      .execute(),
    db
      .selectFrom('recap_sections')
      .innerJoin('recaps', 'recaps.id', 'recap_sections.recap_id')
      .select(['recap_sections.recap_id', 'recap_sections.title', 'recap_sections.notes', 'recap_sections.qa'])
      .where('recaps.user_id', '=', me)
      .orderBy('recap_sections.recap_id')
      .orderBy('recap_sections.position')
      .execute(),
    db
      .selectFrom('session_feedback')
      .innerJoin('events', 'events.id', 'session_feedback.event_id')
      .innerJoin('sessions', 'sessions.id', 'session_feedback.session_id')
      .select(['events.slug', 'sessions.title', 'session_feedback.rating', 'session_feedback.comment', 'session_feedback.updated_at'])
      .where('session_feedback.user_id', '=', me)
      .orderBy('session_feedback.id')
      .execute(),
    db
      .selectFrom('agenda_feed_tokens')
      .innerJoin('events', 'events.id', 'agenda_feed_tokens.event_id')
      .select(['events.slug', 'agenda_feed_tokens.created_at', 'agenda_feed_tokens.last_used_at'])
      .where('agenda_feed_tokens.user_id', '=', me)
      .orderBy('agenda_feed_tokens.id')
      .execute(),
  ]);
  const proposals = await listMyProposals(db, actor);
  const reviews = await db
    .selectFrom('proposal_reviews')
    .innerJoin('proposals', 'proposals.id', 'proposal_reviews.proposal_id')
    .innerJoin('events', 'events.id', 'proposals.event_id')
    .select(['events.slug', 'proposals.code', 'proposal_reviews.score', 'proposal_reviews.comment', 'proposal_reviews.updated_at'])
    .where('proposal_reviews.reviewer_id', '=', me)
    .orderBy('proposal_reviews.id')
    .execute();
  const availability = await db
    .selectFrom('availability')
    .innerJoin('events', 'events.id', 'availability.event_id')
    .select(['events.slug', 'availability.starts_at', 'availability.ends_at'])
    .where('availability.user_id', '=', me)
    .orderBy('availability.event_id')
    .orderBy('availability.starts_at')
    .execute();
  return {
    ...account,
    memberships: memberships.map((m) => ({ community: m.slug, joinedAt: m.joined_at })),
    rsvps: rsvps.map((r) => ({
      event: r.slug,
      status: r.status,
      guests: r.guests,
      answers: JSON.parse(r.answers) as Record<string, string>,
      ticketType: r.ticket,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      checkedInAt: r.checked_in_at,
    })),
    sessionSignups: signups.map((s) => ({ event: s.slug, session: s.title, status: s.status, createdAt: s.created_at })),
    starredSessions: stars.map((s) => ({ event: s.slug, session: s.title, starredAt: s.created_at })),
    interestPicks: await personalInterestPicks(db, me),
    notes: notes.map((n) => ({ event: n.slug, session: n.title, body: n.body, qa: n.qa, updatedAt: n.updated_at })),
    recaps: recaps.map((r) => ({
      event: r.slug,
      title: r.title,
      introduction: r.introduction,
      status: r.status,
      slug: r.recapSlug,
      publishedAt: r.published_at,
      sections: sections.filter((s) => s.recap_id === r.id).map((s) => ({ title: s.title, notes: s.notes, qa: s.qa })),
    })),
    feedback: feedback.map((f) => ({ event: f.slug, session: f.title, rating: f.rating, comment: f.comment, updatedAt: f.updated_at })),
    calendarFeeds: feeds.map((f) => ({ event: f.slug, createdAt: f.created_at, lastUsedAt: f.last_used_at })),
    proposals: proposals.map(({ proposal: p, event }) => ({
      event: event.slug,
      code: p.code,
      state: p.state,
      title: p.title,
      format: p.kind,
      abstract: p.abstract,
      description: p.description,
      notes: p.notes,
      speakers: p.speakers.map((s) => s.email),
      submittedAt: p.createdAt,
    })),
    reviews: reviews.map((r) => ({ event: r.slug, proposal: r.code, score: r.score, comment: r.comment, updatedAt: r.updated_at })),
    availability: availability.map((a) => ({ event: a.slug, startsAt: a.starts_at, endsAt: a.ends_at })),
  };
}

/**
 * Deletes the signed-in person's account. First every seat they hold in an event still ahead is
 * given back through the registration rules, so the next people on the waitlist are promoted (and
 * told) exactly as when anyone cancels; then the account itself is deleted (accounts module), and
 * the database removes their RSVPs, stars, interest poll picks, notes, recaps, feedback, the proposals they submitted
 * and their reviews with it (a session made from a proposal stays on the programme). Published
 * recaps are unpublished first (which refreshes the event's cached pages). Their speaker profiles
 * are unlinked (with keepSpeakerCredit false also anonymised: "Former speaker", bio, job title,
 * company, handles and avatar cleared; their talks stay) in the transaction that deletes the
 * account, each event showing one changed through the write path (version bump, an audit row
 * "speaker.anonymised" / "speaker.unlinked" by "system", naming no one).
 */
export async function deletePersonalData(
  db: Db,
  config: Config,
  actor: Actor,
  options: { keepSpeakerCredit: boolean; clock: Clock },
): Promise<{ seatsReleased: number; speakerProfiles: number; eventIds: number[] }> {
  const now = options.clock.instant();
  const held = await db
    .selectFrom('rsvps')
    .innerJoin('events', 'events.id', 'rsvps.event_id')
    .select(['rsvps.event_id', 'events.end_date'])
    .where('rsvps.user_id', '=', actor.userId)
    .where('rsvps.status', 'in', ['going', 'waitlisted'])
    .execute();
  const ctx = await registrationContext(db, config, options.clock);
  let seatsReleased = 0;
  for (const r of held) {
    if (`${r.end_date}T23:59:59Z` < now) continue; // past events: the record goes, no seat to give back
    try {
      await cancelRsvp(db, ctx, actor, r.event_id);
      seatsReleased++;
    } catch (err) {
      // An event that no longer takes changes (cancelled, closed): its RSVP row goes with the account.
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
    }
  }
  // Published recaps are taken down first, so cached session pages stop linking them.
  const published = await db.selectFrom('recaps').select('id').where('user_id', '=', actor.userId).where('status', '=', 'published').execute();
  for (const r of published) await unpublishRecap({ db, clock: options.clock }, actor, r.id);
  const released = await db.transaction().execute(async (trx) => {
    const speakers = await releaseSpeakerProfiles({ trx, clock: options.clock }, actor, options.keepSpeakerCredit);
    await deleteAccount(trx, actor);
    return speakers;
  });
  return { seatsReleased, ...released };
}

/** Unlinks (and unless `keepCredit` anonymises) the person's speaker profiles; bumps and audits each event showing one. */
async function releaseSpeakerProfiles(tx: WriteTx, actor: Actor, keepCredit: boolean): Promise<{ speakerProfiles: number; eventIds: number[] }> {
  const { trx } = tx;
  const linked = await trx.selectFrom('speakers').select(['id', 'event_id']).where('user_id', '=', actor.userId).execute();
  const unlink = trx.updateTable('speakers').where('user_id', '=', actor.userId);
  if (keepCredit) await unlink.set({ user_id: null }).execute();
  else await unlink.set({ user_id: null, name: FORMER_SPEAKER_NAME, bio: '', job_title: '', company: '', handles: '{}', avatar_url: null }).execute();
  const eventIds = [...new Set(linked.map((s) => s.event_id))].sort((a, b) => a - b);
  for (const eventId of eventIds) {
    const n = linked.filter((s) => s.event_id === eventId).length;
    await touchEventsIn(tx, null, [eventId], {
      action: keepCredit ? 'speaker.unlinked' : 'speaker.anonymised',
      entityType: 'speaker',
      entityId: null,
      summary: keepCredit
        ? `A speaker deleted their account; ${n} profile${n === 1 ? '' : 's'} kept as credited`
        : `A speaker deleted their account; ${n} profile${n === 1 ? '' : 's'} now show${n === 1 ? 's' : ''} "${FORMER_SPEAKER_NAME}"`,
    });
  }
  return { speakerProfiles: linked.length, eventIds };
}
