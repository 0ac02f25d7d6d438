import type { Generated, Selectable } from 'kysely';

export interface SpeakerTable {
  id: Generated<number>;
  event_id: number;
  /** Stable public identifier used in URLs and event documents. */
  code: string;
  name: string;
  job_title: Generated<string>;
  company: Generated<string>;
  bio: Generated<string>;
  avatar_url: string | null;
  /** JSON object of social handles, see SpeakerHandles. */
  handles: Generated<string>;
  position: number;
  /** The account this profile belongs to, if any (private; never exported). */
  user_id: number | null;
}

export type SpeakerRow = Selectable<SpeakerTable>;
