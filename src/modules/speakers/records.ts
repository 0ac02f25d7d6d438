import type { SpeakerRow } from './speaker.table.js';
import { parseHandles, type SpeakerHandles } from './speaker.js';

/** A speaker profile as back-office actions and queries return it (see events/records.ts). */
export interface SpeakerRecord {
  readonly id: number;
  readonly eventId: number;
  /** Stable public identifier (URLs, exports), made from the name when the profile is created. */
  readonly code: string;
  readonly name: string;
  readonly jobTitle: string;
  readonly company: string;
  readonly bio: string;
  readonly avatarUrl: string | null;
  readonly handles: SpeakerHandles;
  readonly position: number;
}

export function toSpeakerRecord(r: SpeakerRow): SpeakerRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    code: r.code,
    name: r.name,
    jobTitle: r.job_title,
    company: r.company,
    bio: r.bio,
    avatarUrl: r.avatar_url,
    handles: parseHandles(r.handles),
    position: r.position,
  };
}
