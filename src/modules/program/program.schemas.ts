import { z } from 'zod';
import { intField, optionalText, requiredText } from '../../lib/form-fields.js';

/* Input schemas of the room and track actions (forms or JSON; see lib/form-fields.ts). */

export const RoomSchema = z.object({
  name: requiredText(100),
  description: optionalText(2000),
  capacity: intField(1, 1_000_000, { nullable: true }),
});
export const UpdateRoomSchema = RoomSchema.partial();
export type RoomInput = z.output<typeof RoomSchema>;

/**
 * moveRoom: either one step (`direction`: up = earlier in the list / further left on the grid)
 * or a 0-based target `position` (clamped to the list).
 */
export const MoveRoomSchema = z
  .object({
    direction: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['up', 'down'], { error: 'must be up or down' }).optional()),
    position: intField(0, 10_000, { nullable: true }).optional(),
  })
  .refine((m) => (m.direction === undefined) !== (m.position === undefined || m.position === null), {
    message: 'give either a direction (up/down) or a position',
    path: ['direction'],
  });
export type MoveInput = z.output<typeof MoveRoomSchema>;

export const TrackSchema = z.object({
  name: requiredText(100),
  color: z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? '#6b7280' : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.string({ error: 'must be a colour like #1f77b4' }).regex(/^#[0-9a-f]{6}$/, { message: 'must be a colour like #1f77b4' }),
  ),
  description: optionalText(2000),
});
export const UpdateTrackSchema = TrackSchema.partial();
export type TrackInput = z.output<typeof TrackSchema>;
