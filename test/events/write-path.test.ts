import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import type { Db } from '../../src/db/database.js';
import { fixedClock } from '../../src/lib/clock.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { publishRecap, createRecapDraft, deleteRecap, saveRecapDraft, unpublishRecap } from '../../src/modules/agenda/recap.actions.js';
import { addSessionLink, removeSessionLink } from '../../src/modules/agenda/speaker-links.actions.js';
import { setInterestCountsShown, starSession } from '../../src/modules/agenda/star.actions.js';
import { DEMO_CALL_EVENT, loadDemoCall } from '../../src/modules/demo/cfp-demo.actions.js';
import { loadDemoInterest } from '../../src/modules/demo/interest-demo.actions.js';
import { saveCfpSettings, setCfpClosedEarly } from '../../src/modules/cfp/cfp-settings.actions.js';
import { decideProposal, scheduleProposal } from '../../src/modules/cfp/decision.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import type { CfpContext } from '../../src/modules/cfp/cfp-mail.js';
import type { ModuleContext } from '../../src/modules/context.js';
import type { DatabaseConfig } from '../../src/config.js';
import { updateCommunity } from '../../src/modules/events/community.actions.js';
import { releaseSchedule, sendHeldReleaseMails, type ReleaseContext } from '../../src/modules/schedule/release.actions.js';
import { markEventCancelled } from '../../src/modules/events/event-state.actions.js';
import { publishEvent, unpublishEvent } from '../../src/modules/schedule/publication.actions.js';
import { updateEvent } from '../../src/modules/events/event.actions.js';
import { createSeries, deleteOccurrence, generateOccurrences } from '../../src/modules/events/series.actions.js';
import { operator } from '../../src/modules/events/event-write.js';
import { setEventHosts } from '../../src/modules/events/host.actions.js';
import { createSponsor, deleteSponsor, updateSponsor } from '../../src/modules/events/sponsor.actions.js';
import { changeDisplayName } from '../../src/modules/privacy/display-name.actions.js';
import { createRoom, deleteRoom, moveRoom, updateRoom } from '../../src/modules/program/room.actions.js';
import { cancelSession, deleteSession, restoreSession } from '../../src/modules/program/session-state.actions.js';
import { createSession, createSessionIn, updateSession } from '../../src/modules/program/session.actions.js';
import { createTrack, deleteTrack, updateTrack } from '../../src/modules/program/track.actions.js';
import { checkEventDocument, toEventDocument } from '../../src/modules/schedule/event-document.js';
import { importCheckedDocument, importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { createSpeaker, deleteSpeaker, updateSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { applyScheduleMove } from '../../src/modules/planning/move.actions.js';
import { createBlocker, deleteBlocker } from '../../src/modules/planning/blocker.actions.js';
import { acceptOptimizerRun, startOptimizerRun } from '../../src/modules/planning/optimizer.actions.js';
import { OPTIMIZER_ENGINE } from '../../src/modules/planning/optimizer-engine.js';
import { OptimizerRuns } from '../../src/modules/planning/optimizer-runs.js';
import { setMyAvailability, setOpeningHours, setSpeakerAvailability } from '../../src/modules/planning/availability.actions.js';
import { saveInterestPoll } from '../../src/modules/interest/interest.actions.js';
import { newActor, organizerWithEvent, useDatabase } from '../program/support.js';
import { testDatabases } from '../support/databases.js';
import { importSource } from '../support/source-module.js';

/*
 * Item 2 of issue 12: every action that changes what an event shows goes through the one write
 * path (events/event-write.ts), so each moves events.version and leaves an audit row. The table
 * runs each against a fresh event; the guards below make sure a new action cannot skip it.
 */

const clock = fixedClock('2027-03-01T12:00:00Z');

interface Fixture {
  readonly ctx: ModuleContext;
  readonly db: Db;
  readonly database: DatabaseConfig;
  readonly actor: Actor;
  readonly eventId: number;
  readonly communityId: number;
  readonly roomId: number;
  readonly trackId: number;
  readonly sponsorId: number;
  readonly speakerId: number;
  readonly sessionId: number;
}

const CFP_CALL = { opensAt: '2027-02-01T09:00', closesAt: '2027-03-15T23:59', callText: 'Talk to us.', formats: [{ kind: 'talk', durationMinutes: 30 }] };

let seq = 0;

/** A draft conference (2027-04-15/16) with a room, a track, a sponsor, a speaker and a session by them. */
async function fixture(db: Db, database: DatabaseConfig, slug = `walk-${++seq}`): Promise<Fixture> {
  const ctx = { db, clock };
  const { actor, event } = await organizerWithEvent(db, slug);
  const room = await createRoom(ctx, actor, event.id, { name: 'Hall' });
  const track = await createTrack(ctx, actor, event.id, { name: 'Web' });
  const sponsor = await createSponsor(ctx, actor, event.id, { name: 'Coffee Corp', level: 'gold' });
  const speaker = await createSpeaker(ctx, actor, event.id, { name: 'Ada Lovelace' });
  const session = await createSession(ctx, actor, event.id, {
    kind: 'talk',
    title: 'Opening',
    start: '2027-04-15T10:00',
    durationMinutes: 30,
    roomId: room.id,
    trackId: track.id,
    speakerIds: [speaker.id],
  });
  return {
    ctx,
    db,
    database,
    actor,
    eventId: event.id,
    communityId: event.communityId,
    roomId: room.id,
    trackId: track.id,
    sponsorId: sponsor.id,
    speakerId: speaker.id,
    sessionId: session.id,
  };
}

/** A published recap by a new attendee of the (published) fixture event. */
async function publishedRecapOf(f: Fixture): Promise<{ author: Actor; recapId: number }> {
  await publishEvent(f.ctx, f.actor, f.eventId);
  const author = await newActor(f.db, 'Recap Author');
  await starSession(f.db, author, f.eventId, f.sessionId);
  const recap = await createRecapDraft(f.ctx, author, f.eventId);
  await publishRecap(f.ctx, author, recap.id);
  return { author, recapId: recap.id };
}

/** A submitted proposal to the fixture event's call (the call open at the test clock). */
async function proposalOf(f: Fixture): Promise<number> {
  const cfp = cfpContext(f);
  await saveCfpSettings(f.db, cfp, f.actor, f.eventId, CFP_CALL);
  const speaker = await newActor(f.db, 'Proposer');
  return (await submitProposal(f.db, cfp, speaker, f.eventId, { title: 'Fast pages', kind: 'talk', abstract: 'Why.', language: 'en' })).id;
}

/** The demo conference's stand-in (its slug), made once: the demo's call and its interest poll each open on it. */
async function demoEvent(f: Fixture): Promise<{ ctx: ModuleContext; eventId: number }> {
  const existing = await f.db.selectFrom('events').select('id').where('slug', '=', DEMO_CALL_EVENT).executeTakeFirst();
  if (existing) return { ctx: f.ctx, eventId: existing.id };
  const demo = await fixture(f.db, f.database, DEMO_CALL_EVENT);
  return { ctx: demo.ctx, eventId: demo.eventId };
}

const releaseContext = (f: Fixture): ReleaseContext => ({
  db: f.db,
  clock,
  config: { baseUrl: 'http://hallway.test', smtpUrl: undefined, database: f.database },
});
const cfpContext = (f: Fixture): CfpContext => ({ config: { baseUrl: 'http://hallway.test', smtpUrl: undefined, database: f.database }, clock });

type Run = (f: Fixture) => Promise<{ run: () => Promise<unknown>; eventId?: number }>;
const now =
  (run: (f: Fixture) => Promise<unknown>): Run =>
  async (f) => ({ run: () => run(f) });
/** Set up first (not measured), then the measured call. */
const after =
  <S>(setUp: (f: Fixture) => Promise<S>, run: (f: Fixture, s: S) => Promise<unknown>): Run =>
  async (f) => {
    const s = await setUp(f);
    return { run: () => run(f, s) };
  };

/**
 * Every exported action that changes an event: `file#export` → the audit action it writes and how
 * to run it on a fresh fixture (set-up first, then the measured call).
 */
const CHANGES: Record<string, { readonly audit: string; readonly run: Run }> = {
  'schedule/release.actions.ts#releaseSchedule': {
    audit: 'schedule.released',
    run: now((f) => releaseSchedule(releaseContext(f), f.actor, f.eventId, { comment: 'First programme' })),
  },
  'schedule/release.actions.ts#sendHeldReleaseMails': {
    audit: 'schedule.release_mails_sent',
    run: after(
      async (f) => {
        await f.db.updateTable('speakers').set({ user_id: f.actor.userId }).where('id', '=', f.speakerId).execute();
        return releaseSchedule(releaseContext(f), f.actor, f.eventId, { holdSpeakerMails: true });
      },
      (f, r) => sendHeldReleaseMails(releaseContext(f), f.actor, f.eventId, r.release.name),
    ),
  },
  'interest/interest.actions.ts#saveInterestPoll': {
    audit: 'interest.poll_created',
    run: now((f) =>
      saveInterestPoll(f.ctx, f.actor, f.eventId, { status: 'open', scope: 'review', intro: 'Tick what you want to see.', closesAt: '2027-04-01T18:00' }),
    ),
  },
  'events/community.actions.ts#updateCommunity': {
    audit: 'community.updated',
    run: now((f) => updateCommunity(f.ctx, f.actor, f.communityId, { name: 'Renamed community' })),
  },
  'schedule/publication.actions.ts#publishEvent': { audit: 'event.published', run: now((f) => publishEvent(f.ctx, f.actor, f.eventId)) },
  'schedule/publication.actions.ts#unpublishEvent': {
    audit: 'event.unpublished',
    run: after(
      (f) => publishEvent(f.ctx, f.actor, f.eventId),
      (f) => unpublishEvent(f.ctx, f.actor, f.eventId),
    ),
  },
  'events/event-state.actions.ts#markEventCancelled': {
    audit: 'event.cancelled',
    run: now((f) => f.db.transaction().execute((trx) => markEventCancelled({ trx, clock }, f.actor, f.eventId, 'The venue flooded.'))),
  },
  'events/event.actions.ts#updateEvent': { audit: 'event.updated', run: now((f) => updateEvent(f.ctx, f.actor, f.eventId, { title: 'Renamed' })) },
  'events/host.actions.ts#setEventHosts': {
    audit: 'event.hosts_set',
    run: now((f) => setEventHosts(f.ctx, f.actor, f.eventId, { hosts: [{ name: 'c-base', role: 'venue' }] })),
  },
  'events/series.actions.ts#deleteOccurrence': {
    audit: 'event.deleted',
    run: async (f) => {
      const series = await createSeries(f.ctx, f.actor, f.communityId, {
        name: 'Weekly',
        slug: `weekly-${f.eventId}`,
        titlePattern: 'Weekly #{n}',
        timeZone: 'UTC',
        frequency: 'weekly',
        weekday: 'monday',
        startsOn: '2027-03-08',
        count: 1,
      });
      const eventId = (await generateOccurrences(f.ctx, f.actor, series.id)).created[0]!.eventId;
      return { run: () => deleteOccurrence(f.ctx, f.actor, eventId), eventId };
    },
  },
  'events/sponsor.actions.ts#createSponsor': { audit: 'sponsor.created', run: now((f) => createSponsor(f.ctx, f.actor, f.eventId, { name: 'Tea Co' })) },
  'events/sponsor.actions.ts#updateSponsor': {
    audit: 'sponsor.updated',
    run: now((f) => updateSponsor(f.ctx, f.actor, f.eventId, f.sponsorId, { name: 'Coffee Inc' })),
  },
  'events/sponsor.actions.ts#deleteSponsor': { audit: 'sponsor.deleted', run: now((f) => deleteSponsor(f.ctx, f.actor, f.eventId, f.sponsorId)) },
  'program/room.actions.ts#createRoom': { audit: 'room.created', run: now((f) => createRoom(f.ctx, f.actor, f.eventId, { name: 'Annex' })) },
  'program/room.actions.ts#updateRoom': { audit: 'room.updated', run: now((f) => updateRoom(f.ctx, f.actor, f.eventId, f.roomId, { name: 'Main hall' })) },
  'program/room.actions.ts#deleteRoom': {
    audit: 'room.deleted',
    run: after(
      (f) => createRoom(f.ctx, f.actor, f.eventId, { name: 'Spare' }),
      (f, spare) => deleteRoom(f.ctx, f.actor, f.eventId, spare.id),
    ),
  },
  'program/room.actions.ts#moveRoom': {
    audit: 'room.moved',
    run: after(
      (f) => createRoom(f.ctx, f.actor, f.eventId, { name: 'Second' }),
      (f) => moveRoom(f.ctx, f.actor, f.eventId, f.roomId, { direction: 'down' }),
    ),
  },
  'program/track.actions.ts#createTrack': { audit: 'track.created', run: now((f) => createTrack(f.ctx, f.actor, f.eventId, { name: 'Data' })) },
  'program/track.actions.ts#updateTrack': { audit: 'track.updated', run: now((f) => updateTrack(f.ctx, f.actor, f.eventId, f.trackId, { name: 'Frontend' })) },
  'program/track.actions.ts#deleteTrack': { audit: 'track.deleted', run: now((f) => deleteTrack(f.ctx, f.actor, f.eventId, f.trackId)) },
  'program/session.actions.ts#createSession': {
    audit: 'session.created',
    run: now((f) =>
      createSession(f.ctx, f.actor, f.eventId, { kind: 'talk', title: 'Second', start: '2027-04-15T11:00', durationMinutes: 30, roomId: f.roomId }),
    ),
  },
  'program/session.actions.ts#createSessionIn': {
    audit: 'session.created',
    run: now((f) =>
      f.db
        .transaction()
        .execute((trx) =>
          createSessionIn({ trx, clock }, f.actor, f.eventId, { kind: 'talk', title: 'Third', start: '2027-04-15T12:00', durationMinutes: 30 }),
        ),
    ),
  },
  'program/session.actions.ts#updateSession': {
    audit: 'session.updated',
    run: now((f) => updateSession(f.ctx, f.actor, f.eventId, f.sessionId, { title: 'Welcome' })),
  },
  'program/session-state.actions.ts#cancelSession': { audit: 'session.cancelled', run: now((f) => cancelSession(f.ctx, f.actor, f.eventId, f.sessionId)) },
  'program/session-state.actions.ts#restoreSession': {
    audit: 'session.restored',
    run: after(
      (f) => cancelSession(f.ctx, f.actor, f.eventId, f.sessionId),
      (f) => restoreSession(f.ctx, f.actor, f.eventId, f.sessionId),
    ),
  },
  'program/session-state.actions.ts#deleteSession': { audit: 'session.deleted', run: now((f) => deleteSession(f.ctx, f.actor, f.eventId, f.sessionId)) },
  'speakers/speaker.actions.ts#createSpeaker': {
    audit: 'speaker.created',
    run: now((f) => createSpeaker(f.ctx, f.actor, f.eventId, { name: 'Grace Hopper' })),
  },
  'speakers/speaker.actions.ts#updateSpeaker': {
    audit: 'speaker.updated',
    run: now((f) => updateSpeaker(f.ctx, f.actor, f.eventId, f.speakerId, { company: 'Analytical Engines' })),
  },
  'speakers/speaker.actions.ts#deleteSpeaker': {
    audit: 'speaker.deleted',
    run: after(
      (f) => createSpeaker(f.ctx, f.actor, f.eventId, { name: 'Nobody Yet' }),
      (f, spare) => deleteSpeaker(f.ctx, f.actor, f.eventId, spare.id),
    ),
  },
  'agenda/speaker-links.actions.ts#addSessionLink': {
    audit: 'session.link_added',
    run: now((f) => addSessionLink(f.ctx, f.actor, f.eventId, f.sessionId, { kind: 'slides', url: 'https://example.org/slides' })),
  },
  'agenda/speaker-links.actions.ts#removeSessionLink': {
    audit: 'session.link_removed',
    run: after(
      (f) => addSessionLink(f.ctx, f.actor, f.eventId, f.sessionId, { kind: 'slides', url: 'https://example.org/slides' }),
      (f) => removeSessionLink(f.ctx, f.actor, f.eventId, f.sessionId, 0),
    ),
  },
  'agenda/star.actions.ts#setInterestCountsShown': {
    audit: 'event.interest_counts',
    run: now((f) => setInterestCountsShown(f.ctx, f.actor, f.eventId, { show: true })),
  },
  'agenda/recap.actions.ts#publishRecap': {
    audit: 'recap.published',
    run: async (f) => {
      await publishEvent(f.ctx, f.actor, f.eventId);
      const author = await newActor(f.db, 'Recap Author');
      await starSession(f.db, author, f.eventId, f.sessionId);
      const recap = await createRecapDraft(f.ctx, author, f.eventId);
      return { run: () => publishRecap(f.ctx, author, recap.id) };
    },
  },
  'agenda/recap.actions.ts#saveRecapDraft': {
    audit: 'recap.updated',
    run: after(
      (f) => publishedRecapOf(f),
      (f, { author, recapId }) => saveRecapDraft(f.ctx, author, recapId, { title: 'My day, edited', introduction: '', sections: [] }),
    ),
  },
  'agenda/recap.actions.ts#unpublishRecap': {
    audit: 'recap.unpublished',
    run: after(
      (f) => publishedRecapOf(f),
      (f, { author, recapId }) => unpublishRecap(f.ctx, author, recapId),
    ),
  },
  'agenda/recap.actions.ts#deleteRecap': {
    audit: 'recap.deleted',
    run: after(
      (f) => publishedRecapOf(f),
      (f, { author, recapId }) => deleteRecap(f.ctx, author, recapId),
    ),
  },
  'privacy/display-name.actions.ts#changeDisplayName': {
    audit: 'recap.author_renamed',
    run: after(
      (f) => publishedRecapOf(f),
      (f, { author }) => changeDisplayName(f.ctx, author, { displayName: 'Renamed Author' }),
    ),
  },
  'cfp/cfp-settings.actions.ts#saveCfpSettings': { audit: 'cfp.created', run: now((f) => saveCfpSettings(f.db, cfpContext(f), f.actor, f.eventId, CFP_CALL)) },
  'cfp/cfp-settings.actions.ts#setCfpClosedEarly': {
    audit: 'cfp.closed',
    run: after(
      (f) => saveCfpSettings(f.db, cfpContext(f), f.actor, f.eventId, CFP_CALL),
      (f) => setCfpClosedEarly(f.db, cfpContext(f), f.actor, f.eventId, true),
    ),
  },
  'cfp/decision.actions.ts#decideProposal': {
    audit: 'proposal.accepted',
    run: after(
      (f) => proposalOf(f),
      (f, proposalId) => decideProposal(f.db, cfpContext(f), f.actor, f.eventId, proposalId, { decision: 'accept' }),
    ),
  },
  'cfp/decision.actions.ts#scheduleProposal': {
    audit: 'proposal.scheduled',
    run: async (f) => {
      const proposalId = await proposalOf(f);
      await decideProposal(f.db, cfpContext(f), f.actor, f.eventId, proposalId, { decision: 'accept' });
      return { run: () => scheduleProposal(f.db, cfpContext(f), f.actor, f.eventId, proposalId, { roomId: f.roomId, start: '2027-04-16T10:00' }) };
    },
  },
  'planning/move.actions.ts#applyScheduleMove': {
    audit: 'session.moved',
    run: now(async (f) =>
      applyScheduleMove(f.ctx, f.actor, f.eventId, {
        action: 'move',
        sessionId: f.sessionId,
        start: '2027-04-15T14:00',
        baseVersion: await versionOf(f.db, f.eventId),
      }),
    ),
  },
  'planning/optimizer.actions.ts#acceptOptimizerRun': {
    audit: 'optimizer.accepted',
    run: async (f) => {
      // One voter wants the session; the real optimizer proposes (in a worker), then the measured accept.
      const voter = await f.db
        .insertInto('interest_voters')
        .values({ event_id: f.eventId, user_id: null, token_hash: `walk-${f.eventId}`, created_at: clock.instant(), updated_at: clock.instant() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await f.db.insertInto('interest_picks').values({ voter_id: voter.id, session_id: f.sessionId, proposal_id: null, created_at: clock.instant() }).execute();
      const ctx = { ...f.ctx, optimizer: new OptimizerRuns(OPTIMIZER_ENGINE) };
      const run = await startOptimizerRun(ctx, f.actor, f.eventId, { timeLimitSeconds: 1 });
      await ctx.optimizer.settled(run.id);
      return { run: () => acceptOptimizerRun(ctx, f.actor, f.eventId, run.id) };
    },
  },
  'planning/blocker.actions.ts#createBlocker': {
    audit: 'blocker.created',
    run: now((f) => createBlocker(f.ctx, f.actor, f.eventId, { roomId: f.roomId, title: 'Set-up', start: '2027-04-15T08:00', durationMinutes: 60 })),
  },
  'planning/blocker.actions.ts#deleteBlocker': {
    audit: 'blocker.deleted',
    run: after(
      (f) => createBlocker(f.ctx, f.actor, f.eventId, { roomId: null, start: '2027-04-15T08:00', durationMinutes: 30 }),
      (f, blocker) => deleteBlocker(f.ctx, f.actor, f.eventId, blocker.id),
    ),
  },
  'planning/availability.actions.ts#setOpeningHours': {
    audit: 'room.hours_set',
    run: now((f) => setOpeningHours(f.ctx, f.actor, f.eventId, { roomId: f.roomId, windows: [{ day: '2027-04-15', from: '09:00', to: '18:00' }] })),
  },
  'planning/availability.actions.ts#setSpeakerAvailability': {
    audit: 'speaker.availability_set',
    run: now((f) => setSpeakerAvailability(f.ctx, f.actor, f.eventId, f.speakerId, { windows: [{ day: '2027-04-16', from: '09:00', to: '12:00' }] })),
  },
  'planning/availability.actions.ts#setMyAvailability': {
    audit: 'speaker.availability_set',
    run: async (f) => {
      const proposer = await newActor(f.db, 'Available Speaker');
      await f.db.updateTable('speakers').set({ user_id: proposer.userId }).where('id', '=', f.speakerId).execute();
      return { run: () => setMyAvailability(f.ctx, proposer, f.eventId, { windows: [{ day: '2027-04-15', from: '13:00', to: '17:00' }] }) };
    },
  },
  'demo/interest-demo.actions.ts#loadDemoInterest': {
    audit: 'interest.poll_created',
    run: async (f) => {
      const demo = await demoEvent(f);
      return { run: () => loadDemoInterest(demo.ctx, operator('demo loader (test)')), eventId: demo.eventId };
    },
  },
  'demo/cfp-demo.actions.ts#loadDemoCall': {
    audit: 'cfp.created',
    run: async (f) => {
      const demo = await demoEvent(f);
      return { run: () => loadDemoCall(demo.ctx, operator('demo loader (test)')), eventId: demo.eventId };
    },
  },
  'schedule/import.actions.ts#importEventDocument': {
    audit: 'event.imported',
    run: async (f) => {
      const doc = toEventDocument((await loadProgramSnapshot(f.db, f.eventId))!);
      return { run: () => importEventDocument(f.ctx, f.actor, { ...doc, event: { ...doc.event, title: 'Imported title' } }) };
    },
  },
  'schedule/import.actions.ts#importCheckedDocument': {
    audit: 'event.imported',
    run: async (f) => {
      const doc = toEventDocument((await loadProgramSnapshot(f.db, f.eventId))!);
      const checked = checkEventDocument({ ...doc, event: { ...doc.event, title: 'Checked and imported' } });
      assert.ok(checked.ok);
      return { run: () => importCheckedDocument(f.ctx, operator('hallway import (test)'), checked.value) };
    },
  },
};

/** Exported functions that change no event's version, each with the reason. */
const CHANGES_NO_EVENT: Record<string, string> = {
  'events/community.actions.ts#createCommunity': 'creates a community (no event yet); audited through withAuditedCreate',
  'events/event.actions.ts#createEvent': 'creates the event at version 1; audited through withAuditedCreate',
  'events/series.actions.ts#previewSeries': 'pure: plans dates, writes nothing',
  'events/series.actions.ts#createSeries': 'writes the series template only; no event exists until generateOccurrences',
  'events/series.actions.ts#updateSeries': 'changes only occurrences not generated yet (documented): no event',
  'events/series.actions.ts#generateOccurrences': 'creates new draft events (version 1) with their audit rows; changes no existing event',
  'events/membership.actions.ts#joinCommunity': 'community membership: community pages read it live, not per event version',
  'events/membership.actions.ts#leaveCommunity': 'community membership: see joinCommunity',
  'speakers/speaker.actions.ts#speakerProfileFor': "a step of the caller's withEventWrite (scheduleProposal): it receives the write, never opens one",
  'cfp/decision.actions.ts#scheduleProposalIn':
    "a step of the caller's withEventWrite (scheduleProposal, and the editor's place in applyScheduleMove, both in CHANGES): it receives the write, never opens one",
  'planning/availability.actions.ts#windowInstants': 'pure: turns form windows into instants, writes nothing',
  'planning/optimizer.actions.ts#startOptimizerRun':
    "writes only the run's own row (optimizer_runs: bookkeeping, not the programme); accepting its proposal (acceptOptimizerRun, in CHANGES) changes the draft",
  'planning/optimizer.actions.ts#stopOptimizerRun': "tells the run's worker to stop (or marks its row): bookkeeping, not the programme",
  'planning/optimizer.actions.ts#discardOptimizerRun': "marks the run's row discarded: the draft is unchanged",
  'agenda/star.actions.ts#starSession': 'a private star: public counts are read live',
  'agenda/star.actions.ts#unstarSession': 'a private star',
  'interest/interest.actions.ts#saveInterestPicks': "a voter's private picks, like stars: organizers read the aggregates live",
  'agenda/star.actions.ts#markAgendaChangesSeen': 'private to the attendee',
  'agenda/note.actions.ts#saveNote': 'private note',
  'agenda/note.actions.ts#getMyNote': 'read',
  'agenda/note.actions.ts#getNote': 'read',
  'agenda/note.actions.ts#listMyNotes': 'read',
  'agenda/note.actions.ts#deleteNote': 'private note',
  'agenda/feedback.actions.ts#submitFeedback': 'private feedback, shown only to organizers (read live)',
  'agenda/feedback.actions.ts#getMyFeedback': 'read',
  'agenda/feedback.actions.ts#feedbackRefusal': 'read (why feedback is refused, asked before the form)',
  'agenda/feedback.actions.ts#getSessionFeedbackSummary': 'read',
  'agenda/feedback.actions.ts#listEventFeedbackSummaries': 'read',
  'agenda/calendar-feed.actions.ts#regenerateCalendarFeed': 'a personal feed token',
  'agenda/calendar-feed.actions.ts#revokeCalendarFeed': 'a personal feed token',
  'agenda/calendar-feed.actions.ts#getCalendarFeedStatus': 'read',
  'agenda/calendar-feed.actions.ts#loadCalendarFeed': 'read',
  'agenda/recap.actions.ts#createRecapDraft': 'a draft recap is private',
  'cfp/proposal.actions.ts#submitProposal': 'proposals are private until scheduled (scheduleProposal changes the event); audited',
  'cfp/proposal.actions.ts#updateProposal': 'private proposal; audited',
  'cfp/proposal.actions.ts#withdrawProposal': 'private proposal; audited',
  'cfp/proposal.actions.ts#reloadProposal': 'read (a helper of the decisions)',
  'cfp/review.actions.ts#saveReview': 'private review',
  'cfp/cospeaker.actions.ts#writeCospeakers': "private proposal's co-speakers",
  'cfp/cospeaker.actions.ts#answerInvitationByToken': "private proposal's co-speakers; audited",
  'cfp/cospeaker.actions.ts#answerMyInvitation': "private proposal's co-speakers; audited",
  'schedule/schedule-import.actions.ts#importSchedule':
    'reads, converts and checks a frab file in a worker, then writes through importCheckedDocument (in CHANGES) as its writer',
  'schedule/schedule-import.actions.ts#parseSchedule': 'parses and checks only; writes nothing',
  'demo/demo.actions.ts#loadDemo': 'imports the demo events through importEventDocument (in CHANGES) as the operator',
  'demo/demo.actions.ts#isEmpty': 'read',
  'demo/interest-demo.actions.ts#demoPicks': 'pure: generates the demo picks, writes nothing',
  'backup/backup.actions.ts#backupDatabase': 'reads the whole database into a file; writes nothing in it',
  'backup/backup.actions.ts#restoreDatabase':
    'replaces the whole database from a backup (the operator, servers stopped): every event comes back with the version and audit rows it had; no event write',
  'backup/backup.actions.ts#runScheduledBackup': 'a backup (see backupDatabase); writes only its turn in settings',
  'schedule/release.actions.ts#listEventReleases': 'reads the releases and their changes for organizers; writes nothing',
  'privacy/personal-data.actions.ts#exportPersonalData': 'read',
  'privacy/personal-data.actions.ts#deletePersonalData':
    'unpublishes recaps through unpublishRecap (in CHANGES) and unlinks speaker profiles through touchEventsIn, as changeDisplayName (in CHANGES) does',
  'schedule/release.actions.ts#previewRelease': 'reads what a release would change; writes nothing',
  'schedule/release.actions.ts#releaseDraftIn': 'a step inside the write of releaseSchedule, publishEvent and the import (all in CHANGES)',
  'registration/event-cancel.actions.ts#cancelEvent': 'changes the event through markEventCancelled (in CHANGES), then mails',
  'webhooks/webhook.actions.ts#*': 'webhooks are not programme and would trigger themselves (docs/architecture.md); audited',
  'registration/*':
    'RSVPs, seats, check-in, sign-ups and reminders are read live, never from the page cache (docs/architecture.md); audited where organizers act',
  'accounts/*': 'users, sessions, tokens, roles, invitations: no event is shown differently',
};

for (const database of testDatabases) {
  describe(`the one write path on ${database.name}`, () => {
    const env = useDatabase(database);

    for (const [key, { audit, run }] of Object.entries(CHANGES)) {
      test(`${key} bumps the version and writes a "${audit}" audit row`, async () => {
        const f = await fixture(env.db, env.config);
        const prepared = await run(f);
        const eventId = prepared.eventId ?? f.eventId;
        const before = await versionOf(env.db, eventId);
        const lastAudit = await maxAuditId(env.db);
        await prepared.run();
        const after = await versionOf(env.db, eventId);
        if (after !== null) assert.ok(after > before!, `version ${before} → ${after}`);
        else assert.equal(audit, 'event.deleted', 'only deleting an event makes its version go away');
        const rows = await env.db.selectFrom('audit_log').select(['action', 'event_id', 'community_id', 'created_at']).where('id', '>', lastAudit).execute();
        const row = rows.find((r) => r.action === audit);
        assert.ok(row, `an audit row "${audit}" among ${rows.map((r) => r.action).join(', ') || 'none'}`);
        assert.ok(row.event_id === eventId || (row.event_id === null && row.community_id === f.communityId), 'the row names the event (or its community)');
        assert.equal(row.created_at, clock.instant(), "the audit row is stamped by the module context's clock");
      });
    }
  });
}

describe('every action is classified', () => {
  test('each exported function of src/modules/**/*.actions.ts is in CHANGES or CHANGES_NO_EVENT', async () => {
    const unclassified: string[] = [];
    for (const file of filesUnder('src/modules').filter((f) => f.endsWith('.actions.ts'))) {
      const rel = relative('src/modules', file);
      const mod = await importSource(file);
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== 'function') continue;
        const key = `${rel}#${name}`;
        const area = rel.split('/')[0];
        if (key in CHANGES || key in CHANGES_NO_EVENT || `${rel}#*` in CHANGES_NO_EVENT || `${area}/*` in CHANGES_NO_EVENT) continue;
        unclassified.push(key);
      }
    }
    assert.deepEqual(unclassified, [], 'add each to CHANGES (with a run) or to CHANGES_NO_EVENT (with the reason)');
  });

  test('nothing outside the write path writes events.version', () => {
    const WRITE_PATH = join('src', 'modules', 'events', 'event-write.ts');
    const bump = [/\beb\(\s*['"]version['"]/, /['"]?version['"]?\s*=\s*['"]?version['"]?\s*\+/i, /version:\s*eb\b/, /\bset\s+version\b/i];
    const offenders = filesUnder('src')
      .filter((f) => /\.(ts|tsx)$/.test(f) && f !== WRITE_PATH && !f.startsWith(join('src', 'db', 'migrations')))
      .filter((f) => bump.some((re) => re.test(readFileSync(f, 'utf8'))));
    assert.deepEqual(offenders, [], 'change events through withEventWrite (src/modules/events/event-write.ts)');
  });
});

async function versionOf(db: Db, eventId: number): Promise<number | null> {
  const row = await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirst();
  return row ? Number(row.version) : null;
}

async function maxAuditId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max<number | null>('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else out.push(p);
  }
  return out;
}
