import type { ProgramSnapshot, Room, Session } from '../../modules/schedule/snapshot.js';
import { esc } from './html.js';
import { interestSlotHtml, starButtonHtml, starrable } from './star-button.js';
import { badgesHtml, isCancelled, isService, itemClasses, speakersHtml, sponsorHtml, timeRangeHtml, titleHtml, trackHtml } from './session-bits.js';
import { GRID_MAX_ROOMS, GRID_MAX_ROWS } from './stylesheets.js';
import type { LocalClock, LocalTime } from './time-format.js';

/**
 * One programme day as a CSS grid: rooms are columns (in room order, only rooms used that day),
 * time runs down in 5-minute rows. Placement uses the generated classes of GRID_CSS (gr/gs rows,
 * gc/gw columns), never inline styles. Items without a room (breaks, lunch) span every room that
 * is free at that time, so a workshop running through a coffee break keeps its column.
 *
 * The markup is read in time order by screen readers: room headers and time labels are
 * decoration (aria-hidden); each item says its own time and room.
 */

const STEP = 5;
const HEADER_ROWS = 1;

interface Placed {
  readonly s: Session;
  readonly a: LocalTime;
  readonly b: LocalTime;
  readonly from: number;
  readonly to: number;
}

export interface GridResult {
  /** The grid's HTML (already escaped). */
  readonly html: string;
  /** Cancelled items that shared a room and time with a confirmed one, listed under the grid. */
  readonly displaced: readonly Session[];
}

/**
 * The grid for `day` (all its sessions, or the given ones: one track's), with a column for each
 * room those sessions use; undefined when a grid does not fit (no room used, or more rooms than the
 * placement classes cover); the caller then shows the list.
 */
export function renderScheduleGrid(
  snap: ProgramSnapshot,
  day: string,
  clock: LocalClock,
  sessions: readonly Session[] = snap.sessionsByDay.get(day) ?? [],
): GridResult | undefined {
  const used = new Set<number>();
  for (const s of sessions) if (s.roomId !== null) used.add(s.roomId);
  const rooms: Room[] = snap.rooms.filter((r) => used.has(r.id));
  if (rooms.length === 0 || rooms.length > GRID_MAX_ROOMS) return undefined;
  const column = new Map<number, number>();
  for (const [i, r] of rooms.entries()) column.set(r.id, i);

  let first = Infinity;
  let last = -Infinity;
  const placed: Placed[] = new Array(sessions.length);
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    const a = clock.at(s.startsAt);
    const b = clock.at(s.endsAt);
    const from = clock.minutesFrom(day, a);
    const to = Math.max(from + 1, clock.minutesFrom(day, b));
    placed[i] = { s, a, b, from, to };
    if (from < first) first = from;
    if (to > last) last = to;
  }
  const base = Math.floor(first / 30) * 30;
  const bodyRows = Math.min(GRID_MAX_ROWS - HEADER_ROWS, Math.max(1, Math.ceil((Math.ceil(last / 30) * 30 - base) / STEP)));
  const rowOf = (minutes: number) => Math.min(bodyRows - 1, Math.max(0, Math.floor((minutes - base) / STEP)));
  const endRowOf = (minutes: number, start: number) => Math.min(bodyRows, Math.max(start + 1, Math.ceil((minutes - base) / STEP)));

  // Busy intervals per room column: what room-less items must not cover. A cancelled item that
  // overlaps a confirmed one in its room is listed under the grid instead of hiding it.
  const busy: Array<Array<[number, number]>> = rooms.map(() => []);
  const displaced: Session[] = [];
  const inRooms: Placed[] = [];
  const roomless: Placed[] = [];
  for (const p of placed) {
    if (p.s.roomId === null) roomless.push(p);
    else if (!isCancelled(p.s)) busy[column.get(p.s.roomId)!]!.push([p.from, p.to]);
  }
  for (const p of placed) {
    if (p.s.roomId === null) continue;
    if (isCancelled(p.s)) {
      const col = busy[column.get(p.s.roomId)!]!;
      if (col.some(([f, t]) => f < p.to && p.from < t)) {
        displaced.push(p.s);
        continue;
      }
      col.push([p.from, p.to]);
    }
    inRooms.push(p);
  }

  const nRooms = rooms.length;
  const out: string[] = [];
  out.push(`<div class="grid gcols${nRooms}">`);
  out.push(`<div class="g-corner gr1 gc1" aria-hidden="true"></div>`);
  for (let i = 0; i < nRooms; i++) out.push(`<div class="g-room gr1 gc${i + 2}" aria-hidden="true">${esc(rooms[i]!.name)}</div>`);
  out.push(`<div class="g-timecol gr2 gs${bodyRows} gc1" aria-hidden="true"></div>`);
  for (let m = base; m < base + bodyRows * STEP; m += 30) {
    const row = rowOf(m) + 1 + HEADER_ROWS;
    const h = Math.floor(m / 60) % 24;
    const label = `${h < 10 ? '0' : ''}${h}:${m % 60 === 0 ? '00' : '30'}`;
    out.push(`<div class="g-line gr${row} gc2 gw${nRooms}" aria-hidden="true"></div>`);
    out.push(`<div class="g-time gr${row} gc1" aria-hidden="true">${label}</div>`);
  }

  // Items in time order (the snapshot's order), room-less ones placed over their free room runs.
  let r = 0;
  let q = 0;
  while (r < inRooms.length || q < roomless.length) {
    const takeRoomless = q < roomless.length && (r >= inRooms.length || roomless[q]!.from <= inRooms[r]!.from);
    if (takeRoomless) {
      const p = roomless[q++]!;
      const runs = freeRuns(busy, p.from, p.to, nRooms);
      for (const [i, [start, span]] of runs.entries()) out.push(item(snap, p, rowOf, endRowOf, start + 2, span, undefined, i > 0));
    } else {
      const p = inRooms[r++]!;
      out.push(item(snap, p, rowOf, endRowOf, column.get(p.s.roomId!)! + 2, 1, rooms[column.get(p.s.roomId!)!]!.name, false));
    }
  }
  out.push('</div>');
  return { html: out.join(''), displaced };
}

/** Runs of consecutive room columns free during [from, to): [first column index, length]. All rooms if none is free. */
function freeRuns(busy: ReadonlyArray<ReadonlyArray<[number, number]>>, from: number, to: number, n: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let c = 0; c <= n; c++) {
    const free = c < n && !busy[c]!.some(([f, t]) => f < to && from < t);
    if (free && start < 0) start = c;
    if (!free && start >= 0) {
      runs.push([start, c - start]);
      start = -1;
    }
  }
  return runs.length > 0 ? runs : [[0, n]];
}

/**
 * One grid item. `repeat` is a visual copy of a room-less item over a further run of free rooms:
 * hidden from assistive technology and without links, so the item is announced and focused once.
 */
function item(
  snap: ProgramSnapshot,
  p: Placed,
  rowOf: (m: number) => number,
  endRowOf: (m: number, start: number) => number,
  col: number,
  span: number,
  room: string | undefined,
  repeat: boolean,
): string {
  const s = p.s;
  const start = rowOf(p.from);
  const rows = endRowOf(p.to, start) - start;
  const cls = `slot ${itemClasses(snap, s)} gr${start + 1 + HEADER_ROWS} gs${rows} gc${col} gw${span}${span > 1 ? ' wide' : ''}`;
  const where = room === undefined ? (isService(s) ? '' : ', all rooms') : `, ${esc(room)}`;
  if (repeat) {
    return `<div class="${cls}" aria-hidden="true"><p class="slot-time">${p.a.hhmm}–${p.b.hhmm}</p><p class="slot-title">${esc(s.title)}</p></div>`;
  }
  const speakers = speakersHtml(snap, s, false);
  const sponsor = sponsorHtml(snap, s);
  const track = trackHtml(snap, s);
  return (
    `<div class="${cls}">` +
    `<p class="slot-time">${timeRangeHtml(p.a, p.b)}<span class="vh">${where}</span></p>` +
    `<h3 class="slot-title">${titleHtml(snap, s)}</h3>` +
    (speakers ? `<p class="slot-speakers">${speakers}</p>` : '') +
    (sponsor ? `<p class="slot-sponsor">${sponsor}</p>` : '') +
    `<p class="slot-meta">${badgesHtml(s)}${track ? ` ${track}` : ''}</p>` +
    (starrable(s, isService(s)) ? starButtonHtml(s, true) + interestSlotHtml(snap.event, s) : '') +
    `</div>`
  );
}
