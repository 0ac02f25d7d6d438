import type { EventKind } from '../../modules/events/event.js';
import { formatDateRange, todayIn, zoneCaption } from './time-format.js';
import { paths } from './html.js';

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

/**
 * "This event is cancelled", with the organizers' reason when `reason` is given (the event page);
 * nothing while the event is on. A role="status" paragraph, so screen readers announce it.
 */
export function CancelledNotice({
  event,
  reason,
}: {
  event: { readonly cancelledAt: string | null; readonly cancellationReason: string | null };
  reason: boolean;
}): JSX.Element {
  if (!event.cancelledAt) return '';
  return (
    <p class="notice notice-cancelled event-cancelled" role="status">
      <strong>Cancelled:</strong> this event will not take place.
      {reason && event.cancellationReason ? (
        <>
          {' '}
          <span class="event-cancelled-reason" safe>
            {event.cancellationReason}
          </span>
        </>
      ) : (
        ''
      )}
    </p>
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

/** What an event card shows: the home page's and the community page's event lists. */
export interface EventCardData {
  readonly slug: string;
  readonly kind: string;
  readonly title: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly venueName: string;
  readonly cancelled?: boolean;
}

/** One event in a list: linked title (at the list's heading level), kind, dates and venue. */
export function EventCard({ event, level }: { event: EventCardData; level: 'h3' | 'h4' }): JSX.Element {
  const title = (
    <a href={paths.event(event.slug)} safe>
      {event.title}
    </a>
  );
  return (
    <li class="event-card">
      {level === 'h3' ? <h3 class="event-card-title">{title}</h3> : <h4 class="event-card-title">{title}</h4>}
      <p class="event-card-meta">
        <EventKindBadge kind={event.kind} /> <EventDates startDate={event.startDate} endDate={event.endDate} />
        {event.cancelled ? <strong class="badge badge-cancelled">Cancelled</strong> : ''}
      </p>
      {event.venueName ? (
        <p class="event-card-venue" safe>
          {event.venueName}
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

/** Events not yet over at instant `now` (in their own zone), in the given order, and past ones, latest first. */
export function upcomingAndPast<E extends { endDate: string; timeZone: string }>(events: readonly E[], now: Date): { upcoming: E[]; past: E[] } {
  return {
    upcoming: events.filter((e) => e.endDate >= todayIn(e.timeZone, now)),
    past: events.filter((e) => e.endDate < todayIn(e.timeZone, now)).reverse(),
  };
}
