import { localLabel } from '../../modules/events/event-dates.js';
import type { SeatCounts } from '../../modules/registration/registration.js';
import type { TicketTypeView } from '../../modules/registration/registration-pages.queries.js';
import type { RegistrationSettings, RsvpView } from '../../modules/registration/rsvp.queries.js';
import { ErrorSummary, SelectField, TextField, type FormState } from '../components/form.js';
import { cx, plural } from '../components/html.js';
import { field, type RegEvent } from './shared.js';

/*
 * The RSVP form and the texts around it, shared by the signed-in RSVP page and the mailed
 * "update my RSVP" link page: yes/no, guests up to the limit, the organizer's questions, the
 * ticket type when the event has several; seats left and the person's status.
 */

/** The action input from a posted RSVP form (`answers.<id>` fields gathered into `answers`). */
export function rsvpInput(
  body: Record<string, unknown>,
  settings: RegistrationSettings,
  types: readonly TicketTypeView[],
  attending?: boolean,
): Record<string, unknown> {
  const answers: Record<string, string> = {};
  for (const q of settings.questions) answers[q.id] = field(body, `answers.${q.id}`);
  return {
    attending: attending === undefined ? field(body, 'attending') : attending,
    guests: settings.guestLimit > 0 ? field(body, 'guests') : '0',
    answers,
    ...(types.length > 1 ? { ticketTypeId: field(body, 'ticketTypeId') } : {}),
  };
}

/** The form values for an existing RSVP (what the person answered last time). */
export function rsvpValues(r: RsvpView | null): Record<string, string> {
  if (!r) return { attending: 'yes', guests: '0' };
  const values: Record<string, string> = {
    attending: r.status === 'going' || r.status === 'waitlisted' ? 'yes' : 'no',
    guests: String(r.guests),
    ticketTypeId: r.ticketTypeId === null ? '' : String(r.ticketTypeId),
  };
  for (const [k, v] of Object.entries(r.answers)) values[`answers.${k}`] = v;
  return values;
}

/** "12 seats left", "Full: 3 people on the waitlist", "No seat limit". */
export function seatsText(c: SeatCounts): string {
  if (c.seatsFree === null) return 'No seat limit';
  if (c.seatsFree > 0) return `${plural(c.seatsFree, 'seat')} left of ${c.capacity}`;
  return c.waitlisted > 0 ? `Full: ${plural(c.waitlisted, 'person', 'people')} on the waitlist` : 'Full: new RSVPs join the waitlist';
}

/** Why RSVPs are not taken now, or '' when they are. */
export function windowText(ev: RegEvent): string {
  const tz = ev.row.time_zone;
  if (ev.row.cancelled_at) return 'This event was cancelled; it takes no RSVPs.';
  if (ev.now >= ev.span.endsAt) return 'This event is over.';
  if (ev.window === 'not_yet_open') return `RSVPs open on ${localLabel(ev.settings.opensAt!, tz)} (${tz}).`;
  if (ev.window === 'closed_early') return 'The organizers closed RSVPs for this event. You can still cancel.';
  if (ev.window === 'closed') return 'RSVPs for this event are closed. You can still cancel.';
  return ev.settings.closesAt ? `RSVPs close on ${localLabel(ev.settings.closesAt, tz)} (${tz}).` : '';
}

/** The person's RSVP status in one sentence. */
export function statusText(r: RsvpView | null, seatsFree: number | null = null): string {
  if (!r) return 'You have not answered yet.';
  const party = r.guests > 0 ? ` with ${plural(r.guests, 'guest')}` : '';
  switch (r.status) {
    case 'going':
      return `You're going${party}.${r.checkedInAt ? ' You are checked in.' : ''}`;
    case 'waitlisted':
      if (seatsFree !== null && seatsFree > 0 && seatsFree < 1 + r.guests) return partyWaitText(r, seatsFree);
      return `You're on the waitlist${party}: number ${r.waitlistPosition ?? '?'} in line. When a seat frees up, the first people in line get it automatically and are told by e-mail.`;
    case 'not_going':
      return "You said you're not going.";
    default:
      return 'You cancelled your RSVP.';
  }
}

/**
 * A party waiting while some seats, but fewer than it needs, are free. The rule for parties
 * (registration.ts `admit`): a party waits for all its seats and keeps its place at the head of
 * the line; meanwhile someone needing fewer seats may take the free ones, so seats never stay
 * empty. Said plainly, with the choice to come with fewer guests now.
 */
export function partyWaitText(r: Pick<RsvpView, 'guests' | 'waitlistPosition'>, seatsFree: number): string {
  const need = 1 + r.guests;
  return (
    `${plural(seatsFree, 'seat')} left; you asked for ${need} (you and ${plural(r.guests, 'guest')}). ` +
    `You're number ${r.waitlistPosition ?? '?'} on the waitlist for ${need} seats: you get them, and an e-mail, as soon as ${need} are free. ` +
    `Until then someone needing fewer seats may take the free ones, so they never stay empty. To take a seat now, come with fewer guests.`
  );
}

/** The status box: a role=status region, so the result of a post is announced. */
export function RsvpStatus(p: { rsvp: RsvpView | null; seatsFree?: number | null }): JSX.Element {
  const s = p.rsvp?.status ?? 'none';
  return (
    <p class={cx('rsvp-status', `rsvp-status-${s}`)} id="rsvp-status" safe>
      {statusText(p.rsvp, p.seatsFree ?? null)}
    </p>
  );
}

const LABELS = { attending: 'Your answer', guests: 'Guests', ticketTypeId: 'Ticket type' };

/** Labels of the fields by problem path, for the error summary. */
export function rsvpLabels(settings: RegistrationSettings): Record<string, string> {
  return { ...LABELS, ...Object.fromEntries(settings.questions.map((q) => [`answers.${q.id}`, q.label])) };
}

/**
 * The fields of the RSVP form (inside a PostForm): yes/no radios, guests, ticket type, questions.
 * `kind` words the choice for meetups ("RSVP") and conferences ("Register").
 */
export function RsvpFields(p: { state: FormState; settings: RegistrationSettings; types: readonly TicketTypeView[]; kind: string }): JSX.Element {
  const s = p.settings;
  const attending = p.state.values.attending ?? 'yes';
  const error = p.state.errors.attending;
  const conference = p.kind === 'conference';
  return (
    <>
      <ErrorSummary state={p.state} labels={rsvpLabels(s)} />
      <fieldset class={cx('rsvp-choice', error && 'field-error')} id="f-attending" aria-describedby={error ? 'f-attending-error' : undefined}>
        <legend>{conference ? 'Will you attend?' : 'Are you going?'}</legend>
        {error ? (
          <p class="error" id="f-attending-error" safe>
            {error}
          </p>
        ) : (
          ''
        )}
        <div class="field-radio">
          <input type="radio" id="f-attending-yes" name="attending" value="yes" checked={attending !== 'no'} />
          <label for="f-attending-yes">{conference ? 'Yes, register me' : "Yes, I'm going"}</label>
        </div>
        <div class="field-radio">
          <input type="radio" id="f-attending-no" name="attending" value="no" checked={attending === 'no'} />
          <label for="f-attending-no">{"No, I can't come"}</label>
        </div>
      </fieldset>
      {s.guestLimit > 0 ? (
        <TextField
          name="guests"
          label="Guests you bring"
          type="number"
          min="0"
          max={String(s.guestLimit)}
          hint={`Up to ${plural(s.guestLimit, 'guest')}; each takes a seat.`}
          state={p.state}
          fallback="0"
        />
      ) : (
        ''
      )}
      {p.types.length > 1 ? (
        <SelectField
          name="ticketTypeId"
          label="Ticket type"
          state={p.state}
          options={[
            { value: '', label: 'Choose a ticket type' },
            ...p.types.map((t) => ({
              value: String(t.id),
              label: t.quota === null ? t.name : `${t.name} (${Math.max(0, t.quota - t.taken)} of ${t.quota} left)`,
            })),
          ]}
        />
      ) : (
        ''
      )}
      {s.questions.map((q) => {
        const label = `${q.label}${q.required ? ' (required)' : ' (optional)'}`;
        const name = `answers.${q.id}`;
        if (q.kind === 'text') return <TextField name={name} label={label} state={p.state} />;
        const options = q.kind === 'yes_no' ? ['yes', 'no'] : q.options;
        return <SelectField name={name} label={label} state={p.state} options={[{ value: '', label: '—' }, ...options.map((o) => ({ value: o, label: o }))]} />;
      })}
    </>
  );
}

/** A ticket type's name by id (for the ticket and check-in). */
export function ticketTypeName(types: readonly TicketTypeView[], id: number | null): string | null {
  return id === null ? null : (types.find((t) => t.id === id)?.name ?? null);
}

/** A definition list of the counts, for attendees (seats) and organizers (everything). */
export function SeatsLine(p: { counts: SeatCounts }): JSX.Element {
  return (
    <p class="rsvp-seats" safe>
      {seatsText(p.counts)}
    </p>
  );
}
