import { parseInput } from '../../lib/form-fields.js';
import { DomainError } from '../../lib/domain-error.js';
import type { EventScope } from '../accounts/actor.js';
import { canEditSession, canViewBackOffice } from '../accounts/account.policy.js';
import { CfpErrors } from '../cfp/cfp.errors.js';
import { scheduleProposalIn } from '../cfp/decision.actions.js';
import type { ModuleContext } from '../context.js';
import { addMinutes } from '../events/event-dates.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { isOperator, withEventWrite, type EventWrite, type Writer } from '../events/event-write.js';
import { ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import { ProgramErrors } from '../program/program.errors.js';
import { assertRoomFree, assertSpeakersFree, referenceProblems, span } from '../program/session-rules.queries.js';
import { planTiming } from '../program/session-timing.js';
import { loadAudienceOf, loadEditorSessions, toEditorSession, warningIndexOf, type EditorSession } from './editor.queries.js';
import { PlanningErrors } from './planning.errors.js';
import { loadPlanSessions, loadPlanSpeakers } from './planning.queries.js';
import { ScheduleMoveSchema, type MoveAction, type ScheduleMoveInput } from './planning.schemas.js';
import type { PlanningDelta, WarningsCache } from './warnings.cache.js';
import type { PlanSession, ScheduleWarning } from './warnings.js';
import type { SessionRow } from '../program/program.table.js';
import { WallClock } from '../../lib/time.js';

/**
 * The module context of the editor's actions: the warning cache, when the caller keeps one (the
 * app does: AppContext.planning), is told about each move so it stays incremental.
 */
export interface PlanningContext extends ModuleContext {
  readonly planning?: WarningsCache;
}

/** What a move did. */
export interface MoveOutcome {
  readonly action: MoveAction;
  /** The version the move was based on, and the event's version after it (the same when nothing changed). */
  readonly baseVersion: number;
  readonly version: number;
  /** False when the session already was where the move put it (nothing written). */
  readonly changed: boolean;
  /** The session as stored now (for `place` of a proposal: the session it became). */
  readonly session: EditorSession;
  readonly proposalId: number | null;
  /** The warnings that involve the session now. */
  readonly warnings: readonly ScheduleWarning[];
}

const CHANGE_PROGRAMME = { may: canViewBackOffice, what: 'change the programme of this event' };

/**
 * One move of the schedule editor (the editor page, the organizer API and the CLI all call this):
 * place a session that is off the grid or an accepted proposal (which creates its session), move
 * a session to another room and/or start, resize it, take it off the grid (it keeps its last
 * room and time), or pin it where it is / unpin it (proposals of the optimizer leave pinned
 * sessions where they are). The move carries the event version it was based on: if the programme changed
 * since, it is refused with SCHEDULE_VERSION_STALE and the current state, never applied over the
 * newer one. Organizers move any session; track managers only those of their tracks (and place
 * only their tracks' proposals); an operator (the command line) any. The programme's rules hold: the room must be free; a speaker
 * elsewhere at that time is refused unless `force` (the organizer confirmed).
 * Side effects, in one transaction (the event locked and bumped): sessions row (room, start, end,
 * duration, placed, sequence), for a proposal its session, speaker profiles and link; audit rows.
 * Afterwards the warning cache (ctx.planning) applies the change to its index.
 * @throws VALIDATION_FAILED (422: a field; a room not of this event), FORBIDDEN (403), NOT_FOUND
 *   (404: event, session), PROPOSAL_NOT_FOUND (404), SCHEDULE_VERSION_STALE (409),
 *   SESSION_NOT_PLACED (409), SESSION_ALREADY_PLACED (409), SESSION_ROOM_CONFLICT (409),
 *   SPEAKER_DOUBLE_BOOKED (409), PROPOSAL_NOT_ACCEPTED (409), PROPOSAL_SCHEDULED (409),
 *   SESSION_OUTSIDE_DATES (422).
 */
export async function applyScheduleMove(ctx: PlanningContext, actor: Writer, eventId: number, input: unknown): Promise<MoveOutcome> {
  const m = parseInput(ScheduleMoveSchema, input);
  const done = await withEventWrite(ctx, actor, eventId, CHANGE_PROGRAMME, async (w) => {
    // Placement is released, never public as drafted.
    w.draftOnly();
    const stored = w.event.version - 1;
    // Who may comes before whether the view is current: a refusal never shows the stored state.
    const row = await checkSubject(w, actor, m);
    if (m.baseVersion !== stored) {
      const sessions = m.sessionId ? await loadEditorSessions(w.trx, w.event, { ids: [m.sessionId] }) : [];
      throw PlanningErrors.versionStale(m.baseVersion, stored, { version: stored, sessions });
    }
    if (!row) {
      // A proposal placed: its session, speakers and link are new; read them as stored.
      const sessionId = await placeProposal(w, actor, m);
      const [session] = await loadEditorSessions(w.trx, w.event, { ids: [sessionId] });
      const after = await loadPlanSessions(w.trx, eventId, [sessionId]);
      const delta: PlanningDelta = { sessions: after, speakers: await loadPlanSpeakers(w.trx, eventId, after[0]?.speakerIds ?? []) };
      const version = Number((await w.trx.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version);
      return { sessionId, changed: true, version, session: session!, delta };
    }
    // A session moved: everything it is now is known here, without reading it back.
    const moved = await moveSession(w, m, row);
    const audience = ctx.planning?.at(eventId, stored)?.world.audience.get(row.id) ?? (await loadAudienceOf(w.trx, eventId, [row.id])).get(row.id);
    const session = toEditorSession(moved.row, new WallClock(w.event.time_zone), w.event.day_change, moved.speakerIds, audience);
    if (!moved.changed) return { sessionId: row.id, changed: false, version: stored, session, delta: null };
    const plan: PlanSession = {
      id: row.id,
      title: row.title,
      kind: row.kind,
      status: row.status,
      placed: moved.row.placed === 1,
      roomId: moved.row.room_id,
      startsAt: moved.row.starts_at,
      endsAt: moved.row.ends_at,
      speakerIds: moved.speakerIds,
    };
    return { sessionId: row.id, changed: true, version: w.event.version, session, delta: { sessions: [plan], speakers: [] } as PlanningDelta };
  });
  if (done.delta) ctx.planning?.applied(eventId, m.baseVersion, done.version, done.delta);
  const index = ctx.planning?.at(eventId, done.version) ?? (await warningIndexOf(ctx.db, ctx.planning, await eventClockOf(ctx, eventId)));
  return {
    action: m.action,
    baseVersion: m.baseVersion,
    version: done.version,
    changed: done.changed,
    session: done.session,
    proposalId: m.proposalId ?? null,
    warnings: index.involving([done.sessionId]),
  };
}

async function eventClockOf(ctx: ModuleContext, eventId: number): Promise<Pick<EventRow, 'id' | 'time_zone'>> {
  return ctx.db.selectFrom('events').select(['id', 'time_zone']).where('id', '=', eventId).executeTakeFirstOrThrow();
}

/**
 * The session (404) or proposal (404) the move names exists in the event, and the actor may move
 * it (403). Returns the session's row (null for a proposal).
 */
async function checkSubject(w: EventWrite, actor: Writer, m: ScheduleMoveInput): Promise<SessionRow | null> {
  if (m.action === 'place' && m.proposalId) {
    const p = await w.trx.selectFrom('proposals').select('track_id').where('id', '=', m.proposalId).where('event_id', '=', w.event.id).executeTakeFirst();
    if (!p) throw CfpErrors.proposalNotFound(m.proposalId);
    ensureAllowed(mayMove(actor, scopeOf(w.event), { trackId: p.track_id }), 'put proposals of this track on the programme');
    return null;
  }
  const row = await w.trx.selectFrom('sessions').selectAll().where('id', '=', m.sessionId!).where('event_id', '=', w.event.id).executeTakeFirst();
  if (!row) throw EventErrors.notFound('session', m.sessionId!);
  ensureAllowed(mayMove(actor, scopeOf(w.event), { trackId: row.track_id }), 'move this session');
  return row;
}

/**
 * place (from off the grid), move, resize or unschedule an existing session (checked by
 * checkSubject). Returns the row as it is now and its speakers.
 */
async function moveSession(w: EventWrite, m: ScheduleMoveInput, row: SessionRow): Promise<{ changed: boolean; row: SessionRow; speakerIds: number[] }> {
  const { trx, event, now, audit } = w;
  const id = row.id;
  const speakerIds = (await trx.selectFrom('session_speakers').select('speaker_id').where('session_id', '=', id).orderBy('position').execute()).map(
    (s) => s.speaker_id,
  );
  const placed = row.placed === 1;
  if (m.action === 'pin' || m.action === 'unpin') {
    const pinned = m.action === 'pin' ? 1 : 0;
    if (pinned && !placed) throw PlanningErrors.notPinnable(row.title);
    if (row.pinned === pinned) return { changed: false, row, speakerIds };
    // Not public (no sequence bump): a pin only tells the optimizer to leave the session where it is.
    await trx.updateTable('sessions').set({ pinned, updated_at: now }).where('id', '=', id).execute();
    const names = await roomNames(trx, [row.room_id]);
    audit({
      action: pinned ? 'session.pinned' : 'session.unpinned',
      entityType: 'session',
      entityId: id,
      summary: pinned
        ? `Pinned "${row.title}" at ${names(row.room_id)}, ${span(row.starts_at, row.ends_at, event.time_zone)}: proposals leave it there`
        : `Unpinned "${row.title}": proposals may move it`,
    });
    return { changed: true, row: { ...row, pinned, updated_at: now }, speakerIds };
  }
  if (m.action === 'unschedule') {
    if (!placed) throw PlanningErrors.notPlaced(row.title);
    await trx
      .updateTable('sessions')
      .set((eb) => ({ placed: 0, updated_at: now, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', id)
      .execute();
    const names = await roomNames(trx, [row.room_id]);
    audit({
      action: 'session.unscheduled',
      entityType: 'session',
      entityId: id,
      summary: `Took "${row.title}" off the grid (was ${names(row.room_id)}, ${span(row.starts_at, row.ends_at, event.time_zone)})`,
    });
    return { changed: true, row: { ...row, placed: 0, updated_at: now, sequence: row.sequence + 1 }, speakerIds };
  }
  if (m.action === 'place' && placed) throw PlanningErrors.alreadyPlaced(row.title);
  if (m.action !== 'place' && !placed) throw PlanningErrors.notPlaced(row.title);

  const roomId = m.roomId !== undefined ? m.roomId : row.room_id;
  const duration = m.durationMinutes ?? row.duration_minutes;
  const problems = roomId === row.room_id ? [] : await referenceProblems(trx, event.id, { roomId });
  const timing = m.start === undefined ? null : planTiming(event, m.start, duration);
  if (timing && !timing.ok && !timing.outsideDates) problems.push(timing.problem);
  if (problems.length) throw EventErrors.validationFailed(problems);
  if (timing && !timing.ok) throw ProgramErrors.outsideDates(timing.problem);
  const startsAt = timing?.ok ? timing.startsAt : row.starts_at;
  const endsAt = timing?.ok ? timing.endsAt : addMinutes(row.starts_at, duration);
  if (placed && roomId === row.room_id && startsAt === row.starts_at && endsAt === row.ends_at) return { changed: false, row, speakerIds };

  if (row.status === 'confirmed') {
    const placement = { id, roomId, startsAt, endsAt };
    await assertRoomFree(trx, event, placement);
    if (!m.force) await asEditorRefusal(() => assertSpeakersFree(trx, event, placement, speakerIds));
  }
  await trx
    .updateTable('sessions')
    .set((eb) => ({
      room_id: roomId,
      starts_at: startsAt,
      ends_at: endsAt,
      duration_minutes: duration,
      placed: 1,
      updated_at: now,
      sequence: eb('sequence', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
  const names = await roomNames(trx, [row.room_id, roomId]);
  const from = `${names(row.room_id)}, ${span(row.starts_at, row.ends_at, event.time_zone)}`;
  const to = `${names(roomId)}, ${span(startsAt, endsAt, event.time_zone)}`;
  const verb = m.action === 'place' ? 'Placed' : m.action === 'resize' ? 'Resized' : 'Moved';
  audit({
    action: `session.${m.action === 'place' ? 'placed' : m.action === 'resize' ? 'resized' : 'moved'}`,
    entityType: 'session',
    entityId: id,
    summary: `${verb} "${row.title}": ${m.action === 'place' ? to : `${from} → ${to}`}${m.force ? ' (speaker overlap confirmed)' : ''}`,
  });
  return {
    changed: true,
    row: { ...row, room_id: roomId, starts_at: startsAt, ends_at: endsAt, duration_minutes: duration, placed: 1, updated_at: now, sequence: row.sequence + 1 },
    speakerIds,
  };
}

/** place an accepted proposal (checked by checkSubject): its session is created where it is dropped (cfp's scheduleProposalIn). */
async function placeProposal(w: EventWrite, actor: Writer, m: ScheduleMoveInput): Promise<number> {
  const { session } = await asEditorRefusal(() =>
    scheduleProposalIn(
      w,
      actor,
      w.event.id,
      m.proposalId!,
      { roomId: m.roomId ?? null, start: m.start!, durationMinutes: m.durationMinutes },
      { speakersMayOverlap: m.force === true },
    ),
  );
  return session.id;
}

/** Organizers any session, track managers their tracks' (canEditSession); an operator (the CLI) any. */
function mayMove(writer: Writer, scope: EventScope, s: { trackId: number | null }): boolean {
  return isOperator(writer) || canEditSession(writer, scope, s);
}

/** SPEAKER_DOUBLE_BOOKED worded for the editor (the organizer may confirm). */
async function asEditorRefusal<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'SPEAKER_DOUBLE_BOOKED') throw PlanningErrors.speakerDoubleBooked(err.problems);
    throw err;
  }
}

/** The names of some rooms (null: "no room"), in one query. */
async function roomNames(trx: Trx, ids: ReadonlyArray<number | null>): Promise<(id: number | null) => string> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  const rows = wanted.length ? await trx.selectFrom('rooms').select(['id', 'name']).where('id', 'in', wanted).execute() : [];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => (id === null ? 'no room' : (names.get(id) ?? `room #${id}`));
}
