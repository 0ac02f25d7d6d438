import type { Actor } from '../../src/modules/accounts/actor.js';
import { decideProposal } from '../../src/modules/cfp/decision.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import type { EventRecord } from '../../src/modules/events/records.js';
import { newActor } from '../program/support.js';
import { moduleContext } from '../support/module-context.js';
import { conferenceWithCfp, proposalInput, type CfpEnv } from '../cfp/support.js';

export { clock, useCfpDb } from '../cfp/support.js';

export interface PollConference {
  readonly organizer: Actor;
  readonly event: EventRecord;
  readonly rooms: readonly [{ id: number }, { id: number }];
  readonly tracks: readonly [{ id: number }, { id: number }];
  /** Sessions: two talks and a break (not in any poll). */
  readonly sessions: { readonly rust: number; readonly html: number; readonly coffee: number };
  /** Proposals: accepted (no session yet), submitted (in review), rejected. */
  readonly proposals: { readonly accepted: number; readonly review: number; readonly rejected: number };
  readonly speaker: Actor;
}

/**
 * A published two-day conference with its call (conferenceWithCfp), two talks and a coffee
 * break on the programme, and three proposals: accepted without a session, in review, rejected.
 */
export async function pollConference(env: CfpEnv, slug: string): Promise<PollConference> {
  const { organizer, event, rooms, tracks } = await conferenceWithCfp(env, slug);
  const ctx = moduleContext(env.db, env.ctx.clock);
  const grace = await createSpeaker(ctx, organizer, event.id, { name: 'Grace Hopper' });
  const talk = (title: string, start: string, roomId: number, trackId: number | null, kind = 'talk') =>
    createSession(ctx, organizer, event.id, {
      kind,
      title,
      start,
      durationMinutes: 30,
      roomId,
      trackId,
      speakerIds: kind === 'talk' ? [grace.id] : [],
      abstract: `About ${title}.`,
    });
  const rust = await talk('Rust in production', '2027-04-15T10:00', rooms[0].id, tracks[1].id);
  const html = await talk('Fast HTML', '2027-04-15T11:00', rooms[0].id, tracks[0].id);
  const coffee = await talk('Coffee', '2027-04-15T10:30', rooms[1].id, null, 'break');
  const speaker = await newActor(env.db, 'Ada Speaker');
  const submit = (title: string) => submitProposal(env.db, env.ctx, speaker, event.id, proposalInput({ title, trackId: tracks[0].id }));
  const accepted = await submit('Accessible forms');
  const review = await submit('CSS layers');
  const rejected = await submit('Blockchain everything');
  await decideProposal(env.db, env.ctx, organizer, event.id, accepted.id, { decision: 'accept' });
  await decideProposal(env.db, env.ctx, organizer, event.id, rejected.id, { decision: 'reject' });
  await publishEvent(ctx, organizer, event.id);
  return {
    organizer,
    event,
    rooms,
    tracks,
    sessions: { rust: rust.id, html: html.id, coffee: coffee.id },
    proposals: { accepted: accepted.id, review: review.id, rejected: rejected.id },
    speaker,
  };
}
