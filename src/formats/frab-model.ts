/**
 * A frab schedule as read from either format (XML or C3VOC JSON v1), before any interpretation:
 * every value is the trimmed text the file had, or undefined when absent or empty. The readers
 * only restructure; all leniency and every decision lives in frab-to-document.ts, so both formats
 * are treated alike. `path` fields locate an item for error messages, in the file's own terms
 * (`day[2]/room[@name="Ada"]/event[3]` or `schedule.conference.days[1].rooms["Ada"][2]`).
 */
export interface FrabSchedule {
  readonly format: 'xml' | 'json';
  readonly version?: string;
  readonly generator?: string;
  readonly conference: FrabConference;
  readonly days: readonly FrabDay[];
}

export interface FrabConference {
  readonly title?: string;
  readonly acronym?: string;
  readonly start?: string;
  readonly end?: string;
  readonly timeZoneName?: string;
  /** pentabarf's `day_change` (FOSDEM), e.g. 09:00:00. */
  readonly dayChange?: string;
  readonly timeslotDuration?: string;
  readonly baseUrl?: string;
  readonly url?: string;
  readonly venue?: string;
  readonly city?: string;
  readonly tracks: readonly FrabTrack[];
  /** The declared room list (JSON conference.rooms); undefined when the file declares none. */
  readonly rooms?: readonly FrabRoomInfo[];
}

export interface FrabTrack {
  readonly name: string;
  readonly color?: string;
}

export interface FrabRoomInfo {
  readonly name: string;
  readonly description?: string;
  readonly capacity?: number;
}

export interface FrabDay {
  readonly path: string;
  readonly index?: string;
  readonly date?: string;
  readonly start?: string;
  readonly end?: string;
  readonly rooms: readonly FrabRoom[];
}

export interface FrabRoom {
  readonly path: string;
  readonly name?: string;
  readonly events: readonly FrabEvent[];
}

export interface FrabEvent {
  readonly path: string;
  readonly id?: string;
  readonly guid?: string;
  readonly code?: string;
  readonly date?: string;
  readonly start?: string;
  readonly duration?: string;
  readonly end?: string;
  readonly room?: string;
  readonly slug?: string;
  readonly title?: string;
  readonly subtitle?: string;
  readonly track?: string;
  readonly type?: string;
  readonly language?: string;
  readonly abstract?: string;
  readonly description?: string;
  readonly url?: string;
  readonly persons: readonly FrabPerson[];
  /** Links and attachments together, in file order. */
  readonly links: readonly FrabLink[];
}

export interface FrabPerson {
  readonly id?: string;
  readonly guid?: string;
  readonly name?: string;
  readonly biography?: string;
  readonly avatar?: string;
}

export interface FrabLink {
  readonly url?: string;
  readonly title?: string;
  /** JSON `type` (slides, media, web, …) or XML attachment `type`. */
  readonly type?: string;
  readonly attachment: boolean;
}

/** Trimmed text, or undefined for absent/empty/null; numbers become their decimal text. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}
