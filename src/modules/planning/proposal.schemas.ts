import { z } from 'zod';
import { dateField, enumField, idList, intField, rowList } from '../../lib/form-fields.js';
import { SESSION_KINDS } from '../program/session.js';

/*
 * Input of "Propose a programme" (the optimizer): from the editor's propose form or the organizer
 * API. Every field may be left out: the defaults are every programme day, every room, 15-minute
 * starts, 10 seconds, and the expected audience per voter worked out from the RSVPs (or the
 * capacity) and the number of voters. The event's last run's options prefill the form next time.
 */

export const PROPOSE_GRAINS = [5, 10, 15, 30] as const;

/** A list of dates: a JSON array, a repeated form field, or "2027-04-15,2027-04-16"; blank is []. */
const dateList = z.preprocess(
  (v) => {
    if (v === undefined || v === null || v === '') return [];
    const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
    return list.filter((x) => !(typeof x === 'string' && x.trim() === ''));
  },
  z.array(dateField).max(60, { message: 'at most 60' }),
);

const TrackRoomsSchema = z.object({
  trackId: intField(1, 2_147_483_647).meta({ description: 'A track of the event.' }),
  roomIds: idList(500).meta({ description: 'The only rooms its sessions may use; empty: no restriction.' }),
});

const KindRoomsSchema = z.object({
  kind: enumField(SESSION_KINDS).meta({ description: 'A session kind (talk, workshop, …).' }),
  roomIds: idList(500).meta({ description: 'The only rooms sessions of this kind may use; empty: no restriction.' }),
});

/**
 * What to propose a programme for. `days` and `roomIds` empty: all of them. `trackRooms` and
 * `kindRooms` restrict where sessions may go (both apply: a workshop of track 3 goes in a room
 * allowed for track 3 and for workshops). `attendeesPerVoter` absent: worked out (RSVPs or
 * capacity ÷ voters, at least 1). `seed` absent: 1 (the same input gives the same programme).
 */
export const ProposeOptionsSchema = z.object({
  days: dateList.meta({ description: 'Programme days to place sessions on (YYYY-MM-DD); empty: every day.' }),
  roomIds: idList(500).meta({ description: 'Rooms to use; empty: every room.' }),
  grainMinutes: z
    .preprocess((v) => (v === undefined || v === null || v === '' ? 15 : v), intField(5, 30))
    .refine((g) => (PROPOSE_GRAINS as readonly number[]).includes(g), { message: 'must be 5, 10, 15 or 30' })
    .meta({ description: 'Sessions start on multiples of this many minutes (5, 10, 15 or 30; default 15).' }),
  timeLimitSeconds: z
    .preprocess((v) => (v === undefined || v === null || v === '' ? 10 : v), intField(1, 120))
    .meta({ description: 'How long the optimizer may search (1–120 s; default 10).' }),
  attendeesPerVoter: z
    .preprocess(
      (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'string' ? Number(v.trim()) : v),
      z
        .number({ error: 'must be a number' })
        .min(1, { message: 'must be at least 1' })
        .max(10_000, { message: 'must be at most 10000' })
        .refine((n) => Number.isFinite(n), { message: 'must be a number' })
        .nullable(),
    )
    .meta({ description: 'Expected people per voter (demand = votes × this); empty: worked out from the RSVPs or capacity.' }),
  seed: z
    .preprocess((v) => (v === undefined || v === null || v === '' ? 1 : v), intField(0, 2_147_483_647))
    .meta({ description: 'Random seed (default 1): the same draft and seed give the same proposal.' }),
  trackRooms: rowList(TrackRoomsSchema, 500, (r) => r.roomIds === undefined || r.roomIds === '' || (Array.isArray(r.roomIds) && r.roomIds.length === 0)).meta({
    description: 'Per track, the only rooms its sessions may use.',
  }),
  kindRooms: rowList(KindRoomsSchema, 20, (r) => r.roomIds === undefined || r.roomIds === '' || (Array.isArray(r.roomIds) && r.roomIds.length === 0)).meta({
    description: 'Per session kind, the only rooms it may use (e.g. workshops in the lab rooms).',
  }),
});
export type ProposeOptionsInput = z.input<typeof ProposeOptionsSchema>;
export type ProposeOptions = z.output<typeof ProposeOptionsSchema>;
