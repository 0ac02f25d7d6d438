import type { OptimizerInstance, Placement } from '../../src/modules/optimizer/optimizer.js';

/**
 * An independent check of every hard constraint of a placement (written apart from the solver's
 * and evaluate()'s own bookkeeping): each talk placed exactly once, in a room it may use with
 * enough seats, inside one opening of the room and one window of its speakers, on the grain unless
 * pinned, exactly at its pin when pinned, no two talks in a room at once, no speaker twice at once.
 * Returns the broken rules as sentences (empty = valid).
 */
export function hardViolations(instance: OptimizerInstance, placements: readonly Placement[]): string[] {
  const out: string[] = [];
  const byKey = new Map<string, Placement>();
  for (const p of placements) {
    if (byKey.has(p.key)) out.push(`${p.key} placed twice`);
    byKey.set(p.key, p);
  }
  const placed: { key: string; room: number; s: number; e: number; speakers: readonly number[] }[] = [];
  for (const talk of instance.talks) {
    const p = byKey.get(talk.key);
    if (!p) {
      out.push(`${talk.key} not placed`);
      continue;
    }
    const room = instance.rooms.find((r) => r.id === p.roomId);
    const s = p.start;
    const e = p.start + talk.durationMinutes;
    if (!room) {
      out.push(`${talk.key} in unknown room ${p.roomId}`);
      continue;
    }
    if (talk.allowedRoomIds && !talk.allowedRoomIds.includes(room.id)) out.push(`${talk.key} in a room it may not use`);
    if (talk.minCapacity > 0 && room.capacity !== null && room.capacity < talk.minCapacity) out.push(`${talk.key} in a room too small`);
    if (!room.open.some((o) => o.start <= s && e <= o.end)) out.push(`${talk.key} outside the opening of room ${room.id} (${s}–${e})`);
    if (talk.windows && !talk.windows.some((w) => w.start <= s && e <= w.end)) out.push(`${talk.key} outside its speakers' windows`);
    if (talk.pinned) {
      if (talk.pinned.roomId !== p.roomId || talk.pinned.start !== s) out.push(`${talk.key} moved from its pin`);
    } else if (((s % instance.grainMinutes) + instance.grainMinutes) % instance.grainMinutes !== 0) out.push(`${talk.key} off the grain`);
    placed.push({ key: talk.key, room: room.id, s, e, speakers: talk.speakerIds });
  }
  for (const p of placements) if (!instance.talks.some((t) => t.key === p.key)) out.push(`unknown talk ${p.key}`);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i]!;
      const b = placed[j]!;
      if (!(a.s < b.e && b.s < a.e)) continue;
      if (a.room === b.room) out.push(`${a.key} and ${b.key} in room ${a.room} at once`);
      if (a.speakers.some((x) => b.speakers.includes(x))) out.push(`${a.key} and ${b.key} share a speaker at once`);
    }
  }
  return out;
}
