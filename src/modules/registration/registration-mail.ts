import { storedInstant } from '../../lib/clock.js';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { EventRow } from '../events/event.table.js';
import { localLabel } from '../events/event-dates.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import { escapeHtml } from '../mail/templates.js';
import type { Trx } from '../events/event-write.queries.js';
import { MANAGE_RSVP_PATH, type RsvpMailKind } from './registration.js';
import type { EventSpan, RegistrationContext } from './rsvp.queries.js';
import type { RsvpRow } from './registration.table.js';
import { manageToken } from './tokens.js';
import { icalText } from '../../lib/ical-text.js';

/*
 * The mails registration sends, queued in the caller's transaction (so a mail exists exactly
 * when the change it reports committed): each carries the "update my RSVP" link (signed, valid
 * until a day after the event, no sign-in needed) and the event as an .ics attachment.
 */

/** How long after the event's end a manage link keeps working. */
export const MANAGE_LINK_GRACE_MS = 24 * 3_600_000;

export function manageLink(ctx: RegistrationContext, rsvpId: number, span: EventSpan): string {
  const expires = new Date(Date.parse(span.endsAt) + MANAGE_LINK_GRACE_MS);
  return `${ctx.config.baseUrl}${MANAGE_RSVP_PATH}?token=${encodeURIComponent(manageToken(ctx.secret, rsvpId, expires))}`;
}

export function eventPageUrl(ctx: RegistrationContext, slug: string): string {
  return `${ctx.config.baseUrl}/events/${encodeURIComponent(slug)}`;
}

/** The event as one iCalendar VEVENT (UTC times; TENTATIVE while waitlisted, CANCELLED when no longer going). */
export function eventIcs(ctx: RegistrationContext, event: EventRow, span: EventSpan, status: 'confirmed' | 'tentative' | 'cancelled', now: string): string {
  const cal = ical({ prodId: { company: 'Hallway', product: 'Hallway', language: 'EN' }, method: ICalCalendarMethod.PUBLISH, name: icalText(event.title) });
  const url = eventPageUrl(ctx, event.slug);
  cal.createEvent({
    id: `event-${event.slug}@${new URL(ctx.config.baseUrl).hostname}`,
    start: new Date(span.startsAt),
    end: new Date(span.endsAt),
    stamp: new Date(now),
    summary: event.title,
    description: url,
    location: [event.venue_name, event.venue_address].filter(Boolean).join(', ') || null,
    url,
    status: status === 'confirmed' ? ICalEventStatus.CONFIRMED : status === 'tentative' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CANCELLED,
  });
  return cal.toString();
}

function compose(subject: string, greeting: string, blocks: ReadonlyArray<string | { link: string; label: string }>) {
  const text = [greeting, ...blocks.map((b) => (typeof b === 'string' ? b : `${b.label}:\n${b.link}`)), '— Hallway'].join('\n\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36em">\n${[
    greeting,
    ...blocks,
  ]
    .map((b) => (typeof b === 'string' ? `<p>${escapeHtml(b)}</p>` : `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.label)}</a></p>`))
    .join('\n')}\n<p>— Hallway</p>\n</body></html>\n`;
  return { subject, text, html };
}

export interface RsvpMailData {
  readonly kind: RsvpMailKind;
  readonly to: string;
  readonly name: string;
  readonly event: EventRow;
  readonly span: EventSpan;
  readonly rsvp: Pick<RsvpRow, 'id' | 'guests'>;
  /** For `waitlisted` and `moved_to_waitlist`. */
  readonly position?: number | null;
}

/**
 * What every mail about one event shares, built once per event state: the date line, the event
 * page link and the .ics documents (ical-generator's build and line folding cost far more than
 * the rest of a mail). Keyed by everything they are made of, so an edited event gets new ones.
 */
interface EventMailParts {
  readonly when: string;
  readonly page: string;
  /** The .ics per status, with DTSTAMP_PLACEHOLDER where each mail's DTSTAMP goes. */
  readonly ics: Record<'confirmed' | 'tentative', string>;
}

const partsCache = new Map<string, EventMailParts>();
const PARTS_CACHE_SIZE = 500;
const DTSTAMP_PLACEHOLDER = '\r\nDTSTAMP:19700101T000000Z\r\n';

function eventMailParts(ctx: RegistrationContext, e: EventRow, span: EventSpan): EventMailParts {
  const key = JSON.stringify([ctx.config.baseUrl, e.id, e.slug, e.title, e.time_zone, e.venue_name, e.venue_address, span.startsAt, span.endsAt]);
  const hit = partsCache.get(key);
  if (hit) return hit;
  const epoch = storedInstant(new Date(0));
  const parts: EventMailParts = {
    when: `${localLabel(span.startsAt, e.time_zone)}${e.venue_name ? `, ${e.venue_name}` : ''}`,
    page: eventPageUrl(ctx, e.slug),
    ics: { confirmed: eventIcs(ctx, e, span, 'confirmed', epoch), tentative: eventIcs(ctx, e, span, 'tentative', epoch) },
  };
  if (!parts.ics.confirmed.includes(DTSTAMP_PLACEHOLDER) || !parts.ics.tentative.includes(DTSTAMP_PLACEHOLDER))
    throw new Error('eventIcs: DTSTAMP line not found');
  if (partsCache.size >= PARTS_CACHE_SIZE) partsCache.delete(partsCache.keys().next().value!);
  partsCache.set(key, parts);
  return parts;
}

/** `20270301T120000Z`, the iCalendar form of a UTC instant. */
function icsStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Queues one registration mail with its manage link and .ics. Side effect: one outbox row. */
export async function queueRsvpMail(trx: Trx, ctx: RegistrationContext, m: RsvpMailData): Promise<void> {
  const e = m.event;
  const parts = eventMailParts(ctx, e, m.span);
  const when = parts.when;
  const party = m.rsvp.guests > 0 ? ` (you and ${m.rsvp.guests} guest${m.rsvp.guests === 1 ? '' : 's'})` : '';
  const link = { link: manageLink(ctx, m.rsvp.id, m.span), label: 'Update my RSVP' };
  const page = { link: parts.page, label: 'Event page' };
  const hi = `Hello ${m.name},`;
  const content =
    m.kind === 'confirmed'
      ? compose(`You're going: ${e.title}`, hi, [
          `Your place at ${e.title}${party} is confirmed.`,
          when,
          link,
          page,
          { link: `${ctx.config.baseUrl}/events/${encodeURIComponent(e.slug)}/ticket`, label: 'My ticket' },
          `All your events, tickets and waitlist places: ${ctx.config.baseUrl}/account/events (signed in). If you cannot come, please cancel so someone on the waitlist gets your seat.`,
        ])
      : m.kind === 'waitlisted'
        ? compose(`Waitlist: ${e.title}`, hi, [
            `${e.title} is full, so you are on the waitlist${party}, number ${m.position ?? '?'} in line.`,
            'When a seat frees up the first people in line get it automatically, and we tell you by e-mail.',
            when,
            link,
            page,
          ])
        : m.kind === 'promoted'
          ? compose(`A seat opened up: you're going to ${e.title}`, hi, [
              `Good news: a seat opened up and you moved from the waitlist to going${party}.`,
              when,
              link,
              page,
              'If you cannot come any more, please cancel so the next person gets the seat.',
            ])
          : m.kind === 'moved_to_waitlist'
            ? compose(`Moved to the waitlist: ${e.title}`, hi, [
                `The organizers reduced the number of seats for ${e.title}, so your RSVP${party} moved to the waitlist, number ${m.position ?? '?'} in line. You are first to get a seat when one frees up.`,
                when,
                link,
                page,
              ])
            : compose(`Reminder: ${e.title}`, hi, [
                `A reminder that you're going to ${e.title}${party}.`,
                when,
                link,
                page,
                'If you cannot come, please cancel so someone on the waitlist gets your seat.',
              ]);
  const status = m.kind === 'waitlisted' || m.kind === 'moved_to_waitlist' ? 'tentative' : 'confirmed';
  const ics = parts.ics[status].replace(DTSTAMP_PLACEHOLDER, `\r\nDTSTAMP:${icsStamp(ctx.clock.now())}\r\n`);
  await enqueueMail(
    trx,
    ctx.config,
    {
      to: m.to,
      ...content,
      attachments: [{ filename: `${e.slug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
    },
    ctx.clock,
  );
}

/** A session seat opened up for someone on that session's waitlist (or they got one at once). */
export async function queueSessionMail(
  trx: Trx,
  ctx: RegistrationContext,
  m: { to: string; name: string; event: EventRow; sessionTitle: string; startsAt: string; kind: 'promoted' },
): Promise<void> {
  const content = compose(`A seat opened up: ${m.sessionTitle}`, `Hello ${m.name},`, [
    `A seat opened up in "${m.sessionTitle}" (${localLabel(m.startsAt, m.event.time_zone)}) at ${m.event.title}, and you moved from its waitlist to going.`,
    { link: eventPageUrl(ctx, m.event.slug), label: 'Event page' },
  ]);
  await enqueueMail(trx, ctx.config, { to: m.to, ...content }, ctx.clock);
}

/**
 * The event was called off: one mail per person going or waitlisted (for the event or one of its
 * sessions), with the organizers' reason and the event as a CANCELLED calendar entry under the
 * same UID as the RSVP mails' .ics, so calendars that imported it drop it.
 */
export async function queueCancellationMail(
  trx: Trx,
  ctx: RegistrationContext,
  m: { to: string; name: string; event: EventRow; span: EventSpan; reason: string },
): Promise<void> {
  const e = m.event;
  const content = compose(`Cancelled: ${e.title}`, `Hello ${m.name},`, [
    `${e.title} (${localLabel(m.span.startsAt, e.time_zone)}${e.venue_name ? `, ${e.venue_name}` : ''}) is cancelled. You were going or on the waitlist, so we let you know.`,
    `The organizers wrote: ${m.reason}`,
    'You do not need to do anything: your RSVP and session sign-ups no longer hold a seat.',
    { link: eventPageUrl(ctx, e.slug), label: 'Event page' },
  ]);
  const ics = eventIcs(ctx, e, m.span, 'cancelled', ctx.clock.instant());
  await enqueueMail(
    trx,
    ctx.config,
    {
      to: m.to,
      ...content,
      attachments: [{ filename: `${e.slug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
    },
    ctx.clock,
  );
}
