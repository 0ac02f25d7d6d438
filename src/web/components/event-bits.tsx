import type { EventKind } from '../../modules/events/event.js';
import { formatDateRange, zoneCaption } from './time-format.js';

/** Small pieces of event markup shared by the home page and the event pages. */

const EVENT_KIND_LABELS: Record<EventKind, string> = { conference: 'Conference', meetup: 'Meetup' };

export function EventKindBadge({ kind }: { kind: string }): JSX.Element {
  const label = (EVENT_KIND_LABELS as Record<string, string | undefined>)[kind] ?? kind;
  return (
    <span class={`badge event-kind event-kind-${kind === 'meetup' ? 'meetup' : 'conference'}`} safe>
      {label}
    </span>
  );
}

/** The event's dates as a <time> range: "Thu 15 – Fri 16 April 2027". */
export function EventDates({ startDate, endDate }: { startDate: string; endDate: string }): JSX.Element {
  return (
    <time datetime={startDate} safe>
      {formatDateRange(startDate, endDate)}
    </time>
  );
}

/** "Times in Europe/Amsterdam (CEST)". */
export function ZoneNote({ zone, date }: { zone: string; date: string }): JSX.Element {
  return (
    <p class="zone-note">
      Times in <strong safe>{zoneCaption(zone, date)}</strong>
    </p>
  );
}
