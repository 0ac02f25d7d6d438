import { buildModel, type Model, roomAllowed, startRanges, within } from './model.js';
import type { OptimizerInstance, OptimizerTalk, Unsatisfiable } from './optimizer.js';

/*
 * What makes an instance impossible, found before the search starts (nothing is written then):
 * each entry names the talks concerned (keys, and titles in the message) and the constraint.
 *
 * NO_INTEREST          nobody said which talks they want (no voter picked a talk)
 * NO_ALLOWED_ROOM      a talk may use no room (none allowed, all too small for its sign-ups, all never
 *                      open), or is pinned in a room it may not use
 * TOO_LONG             a talk is longer than every opening of the rooms it may use
 * SPEAKER_UNAVAILABLE  a talk's speakers are available at no time one of its rooms is open long enough
 * NOT_ENOUGH_ROOM      no start on the grid fits a talk, or a group of talks needs more minutes than
 *                      the rooms they may use are open
 * PIN_OUTSIDE_HOURS    a pin in an unknown room, while the room is closed or the speakers are unavailable
 * PIN_CONFLICT         two pinned talks in one room at once, or pinned talks of one speaker at once
 */
export function checkInstance(instance: OptimizerInstance): Unsatisfiable[] {
  return checkModel(buildModel(instance));
}

export function checkModel(m: Model): Unsatisfiable[] {
  const instance = m.instance;
  const out: Unsatisfiable[] = [];
  const { talks, rooms } = instance;
  if (talks.length > 0 && m.preferences === 0) {
    out.push({
      code: 'NO_INTEREST',
      keys: [],
      message: 'There is no interest data: no voter has picked a talk yet, so there is nothing to optimise. Open the interest poll first.',
    });
  }
  const at = (minute: number) => formatMinute(instance.origin, minute);
  talks.forEach((talk, t) => {
    const d = m.duration[t]!;
    const title = quote(talk.title);
    if (talk.pinned) {
      const r = m.roomIndex.get(talk.pinned.roomId);
      const s = talk.pinned.start;
      const when = `${at(s)}–${at(s + d)}`;
      if (r === undefined) {
        out.push({ code: 'PIN_OUTSIDE_HOURS', keys: [talk.key], message: `${title} is pinned in a room that is not part of this plan.` });
        return;
      }
      const room = rooms[r]!;
      if (!roomAllowed(talk, room)) {
        out.push({ code: 'NO_ALLOWED_ROOM', keys: [talk.key], message: `${title} is pinned in ${room.name}, ${whyNotRoom(talk, room)}.` });
      }
      if (!within(room.open, s, s + d)) {
        out.push({ code: 'PIN_OUTSIDE_HOURS', keys: [talk.key], message: `${title} is pinned in ${room.name} at ${when}, when the room is not open.` });
      }
      if (talk.windows !== null && !within(talk.windows, s, s + d)) {
        out.push({ code: 'PIN_OUTSIDE_HOURS', keys: [talk.key], message: `${title} is pinned at ${when}, when its speakers are not available.` });
      }
      return;
    }
    if (m.talkRooms[t]!.length > 0) return;
    const allowed = rooms.filter((room) => talk.allowedRoomIds === null || talk.allowedRoomIds.includes(room.id));
    const usable = allowed.filter((room) => roomAllowed(talk, room));
    if (allowed.length === 0) {
      out.push({ code: 'NO_ALLOWED_ROOM', keys: [talk.key], message: `${title} may use none of the rooms in this plan.` });
      return;
    }
    if (usable.length === 0) {
      const largest = Math.max(...allowed.map((r) => r.capacity ?? 0));
      out.push({
        code: 'NO_ALLOWED_ROOM',
        keys: [talk.key],
        message: `${title} needs ${talk.minCapacity} seats, but the largest room it may use has ${largest}.`,
      });
      return;
    }
    if (usable.every((room) => room.open.length === 0)) {
      out.push({
        code: 'NO_ALLOWED_ROOM',
        keys: [talk.key],
        message: `${title} may only use ${names(usable)}, which ${usable.length > 1 ? 'are' : 'is'} never open.`,
      });
      return;
    }
    if (usable.every((room) => startRanges(room.open, null, d, 1).length === 0)) {
      const longest = Math.max(...usable.flatMap((room) => room.open.map((o) => o.end - o.start)));
      out.push({
        code: 'TOO_LONG',
        keys: [talk.key],
        message: `${title} lasts ${d} minutes, longer than any opening of ${names(usable)} (the longest is ${longest} minutes).`,
      });
      return;
    }
    if (talk.windows !== null && usable.every((room) => startRanges(room.open, talk.windows, d, 1).length === 0)) {
      out.push({
        code: 'SPEAKER_UNAVAILABLE',
        keys: [talk.key],
        message:
          talk.windows.length === 0
            ? `${title}: its speakers are available at no time.`
            : `${title}: its speakers are available at no time when ${names(usable)} ${usable.length > 1 ? 'are' : 'is'} open for ${d} minutes.`,
      });
      return;
    }
    out.push({
      code: 'NOT_ENOUGH_ROOM',
      keys: [talk.key],
      message: `${title} fits in no opening of ${names(usable)} at a start on the ${m.grain}-minute grid.`,
    });
  });
  out.push(...pinConflicts(m));
  out.push(...minutesShortfall(m));
  return out;
}

function pinConflicts(m: Model): Unsatisfiable[] {
  const { talks, rooms } = m.instance;
  const out: Unsatisfiable[] = [];
  const pins = talks.map((t, i) => ({ t, i })).filter(({ t }) => t.pinned !== null);
  for (let x = 0; x < pins.length; x++) {
    for (let y = x + 1; y < pins.length; y++) {
      const a = pins[x]!;
      const b = pins[y]!;
      const pa = a.t.pinned!;
      const pb = b.t.pinned!;
      if (!(pa.start < pb.start + m.duration[b.i]! && pb.start < pa.start + m.duration[a.i]!)) continue;
      const when = formatMinute(m.instance.origin, Math.max(pa.start, pb.start));
      if (pa.roomId === pb.roomId) {
        const room = rooms.find((r) => r.id === pa.roomId);
        out.push({
          code: 'PIN_CONFLICT',
          keys: [a.t.key, b.t.key],
          message: `${quote(a.t.title)} and ${quote(b.t.title)} are both pinned in ${room ? room.name : 'one room'} at ${when}.`,
        });
      } else if (m.siblings[a.i]!.includes(b.i)) {
        out.push({
          code: 'PIN_CONFLICT',
          keys: [a.t.key, b.t.key],
          message: `${quote(a.t.title)} and ${quote(b.t.title)} share a speaker and are both pinned at ${when}.`,
        });
      }
    }
  }
  return out;
}

/**
 * Pigeonhole: for every set of rooms some talk is limited to (and all rooms), the talks that can
 * only use rooms of that set need no more minutes than those rooms are open.
 */
function minutesShortfall(m: Model): Unsatisfiable[] {
  const { talks, rooms } = m.instance;
  const roomSets = new Map<string, number[]>();
  const talkSets = m.talkRooms.map((list) => list.map((tr) => tr.room).sort((a, b) => a - b));
  for (const set of talkSets) if (set.length > 0) roomSets.set(set.join(','), set);
  const all = rooms.map((_, r) => r);
  roomSets.set(all.join(','), all);
  const openMinutes = rooms.map((room) => room.open.reduce((a, o) => a + Math.max(0, o.end - o.start), 0));
  const out: Unsatisfiable[] = [];
  const seen = new Set<string>();
  for (const set of [...roomSets.values()].sort((a, b) => a.length - b.length)) {
    const inSet = new Uint8Array(rooms.length);
    for (const r of set) inSet[r] = 1;
    const members: number[] = [];
    let need = 0;
    talkSets.forEach((ts, t) => {
      if (ts.length > 0 && ts.every((r) => inSet[r])) {
        members.push(t);
        need += m.duration[t]!;
      }
    });
    const have = set.reduce((a, r) => a + openMinutes[r]!, 0);
    if (need <= have) continue;
    const key = members.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const roomNames = set.length === rooms.length ? 'all rooms' : names(set.map((r) => rooms[r]!));
    out.push({
      code: 'NOT_ENOUGH_ROOM',
      keys: members.map((t) => talks[t]!.key),
      message: `${members.length} talks (${titles(members.map((t) => talks[t]!))}) need ${need} minutes in ${roomNames}, which ${set.length > 1 ? 'are' : 'is'} open for ${have} minutes in all.`,
    });
  }
  return out;
}

function whyNotRoom(talk: OptimizerTalk, room: { id: number; capacity: number | null }): string {
  if (talk.allowedRoomIds !== null && !talk.allowedRoomIds.includes(room.id)) return 'a room it may not use';
  return `which has ${room.capacity} seats but it needs ${talk.minCapacity}`;
}

function quote(title: string): string {
  return `“${title}”`;
}

function names(rooms: readonly { name: string }[]): string {
  const list = rooms.map((r) => r.name);
  if (list.length <= 4) return list.join(', ');
  return `${list.slice(0, 4).join(', ')} and ${list.length - 4} more rooms`;
}

function titles(talks: readonly OptimizerTalk[]): string {
  const list = talks.map((t) => quote(t.title));
  if (list.length <= 5) return list.join(', ');
  return `${list.slice(0, 5).join(', ')} and ${list.length - 5} more`;
}

/** A minute from origin as `YYYY-MM-DD HH:MM UTC`. */
export function formatMinute(origin: string, minute: number): string {
  const ms = Date.parse(origin);
  if (Number.isNaN(ms)) return `minute ${minute}`;
  const iso = new Date(ms + minute * 60_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
