import type { DomainError } from '../../lib/domain-error.js';
import { localLabel } from '../../modules/events/event-dates.js';
import type { AttendeeRow } from '../../modules/registration/checkin.actions.js';
import type { RegistrationCounts } from '../../modules/registration/registration.js';
import type { TicketTypeView } from '../../modules/registration/registration-pages.queries.js';
import { ButtonForm, CheckboxField, CsrfField, ErrorSummary, PostForm, SelectField, TextField, type FormState } from '../components/form.js';
import { attrText, plural } from '../components/html.js';
import { questionRowCount } from './organizer-input.js';
import { regPaths, type RegEvent } from './shared.js';

/*
 * The organizer's registration page, in sections: counts, open/close, capacity, settings, ticket
 * types, attendees (search, move, CSV). Every form works without JavaScript.
 */

export interface DashboardData {
  readonly ev: RegEvent;
  readonly counts: RegistrationCounts;
  readonly types: readonly TicketTypeView[];
  readonly attendees: readonly AttendeeRow[];
  readonly search: string;
  readonly settingsState: FormState;
  readonly capacityState: FormState;
  readonly ticketState: FormState;
  /** A refused one-button action (move, close, reopen). */
  readonly actionError?: DomainError;
}

function Counts(p: { c: RegistrationCounts }): JSX.Element {
  const c = p.c;
  const items: Array<[string, string]> = [
    ['Going', plural(c.going, 'person', 'people')],
    ['Seats taken', c.capacity === null ? `${c.seatsTaken} (no limit)` : `${c.seatsTaken} of ${c.capacity}`],
    ['Seats free', c.seatsFree === null ? 'unlimited' : String(c.seatsFree)],
    ['Waitlisted', `${plural(c.waitlisted, 'person', 'people')} (${plural(c.waitlistedSeats, 'seat')})`],
    ['Cancelled', String(c.cancelled)],
    ['Not going', String(c.notGoing)],
    ['Checked in', String(c.checkedIn)],
  ];
  return (
    <dl class="stats reg-counts">
      {items.map(([k, v]) => (
        <div>
          <dt safe>{k}</dt>
          <dd safe>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const STATUS_LABEL: Record<string, string> = { going: 'Going', waitlisted: 'Waitlisted', not_going: 'Not going', cancelled: 'Cancelled' };

function MoveButton(p: { eventId: number; csrf: string; rsvpId: number; to: 'going' | 'waitlisted' | 'cancelled'; label: string; name: string }): JSX.Element {
  return (
    <form method="post" action={regPaths.registration(p.eventId, 'move')} class="button-form">
      <CsrfField token={p.csrf} />
      <input type="hidden" name="rsvpId" value={String(p.rsvpId)} />
      <input type="hidden" name="to" value={p.to} />
      <button type="submit" class="button-secondary">
        <span safe>{p.label}</span>
        <span class="vh" safe>{` ${p.name}`}</span>
      </button>
    </form>
  );
}

function Attendees(p: { d: DashboardData; csrf: string }): JSX.Element {
  const id = p.d.ev.row.id;
  const tz = p.d.ev.row.time_zone;
  return (
    <section aria-labelledby="attendees-heading">
      <h2 id="attendees-heading">Attendees</h2>
      <form method="get" action={regPaths.registration(id)} class="bo-filters" role="search" aria-label="Search attendees">
        <label for="f-q">Name contains</label> <input id="f-q" name="q" type="search" value={attrText(p.d.search)} /> <button type="submit">Search</button>
      </form>
      <p>
        <a href={regPaths.registration(id, 'attendees.csv')} download="">
          Download the attendee list (CSV)
        </a>
      </p>
      {p.d.attendees.length === 0 ? (
        <p class="empty">{p.d.search ? 'Nobody by that name.' : 'No RSVPs yet.'}</p>
      ) : (
        <div class="bo-table-wrap">
          <table class="data-table reg-attendees">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Status</th>
                <th scope="col">Guests</th>
                <th scope="col">Ticket</th>
                <th scope="col">Checked in</th>
                <th scope="col">Move</th>
              </tr>
            </thead>
            <tbody>
              {p.d.attendees.map((a) => (
                <tr>
                  <th scope="row" safe>
                    {a.name}
                  </th>
                  <td safe>{a.email}</td>
                  <td safe>{a.status === 'waitlisted' ? `Waitlisted #${a.waitlistPosition}` : (STATUS_LABEL[a.status] ?? a.status)}</td>
                  <td safe>{String(a.guests)}</td>
                  <td safe>{a.ticketType ?? '—'}</td>
                  <td>{a.checkedInAt ? <span safe>{localLabel(a.checkedInAt, tz)}</span> : '—'}</td>
                  <td class="bo-row-actions">
                    {a.status === 'waitlisted' ? <MoveButton eventId={id} csrf={p.csrf} rsvpId={a.rsvpId} to="going" label="Promote" name={a.name} /> : ''}
                    {a.status === 'going' ? <MoveButton eventId={id} csrf={p.csrf} rsvpId={a.rsvpId} to="waitlisted" label="To waitlist" name={a.name} /> : ''}
                    {a.status === 'going' || a.status === 'waitlisted' ? (
                      <MoveButton eventId={id} csrf={p.csrf} rsvpId={a.rsvpId} to="cancelled" label="Cancel" name={a.name} />
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function QuestionRows(p: { state: FormState }): JSX.Element {
  const n = questionRowCount(p.state.values);
  return (
    <fieldset class="reg-questions">
      <legend>Questions asked with the RSVP</legend>
      <p class="hint">Leave a row empty to remove it. Options are for "choice" questions, separated by commas.</p>
      {Array.from({ length: n }, (_, i) => (
        <fieldset class="reg-question">
          <legend safe>{`Question ${i + 1}`}</legend>
          <TextField name={`questions[${i}].label`} label="Question" state={p.state} />
          <TextField name={`questions[${i}].id`} label="Key (for the CSV; made from the question when blank)" state={p.state} />
          <SelectField
            name={`questions[${i}].kind`}
            label="Kind"
            state={p.state}
            options={[
              { value: 'text', label: 'Free text' },
              { value: 'choice', label: 'Choice' },
              { value: 'yes_no', label: 'Yes or no' },
            ]}
          />
          <TextField name={`questions[${i}].options`} label="Options" state={p.state} />
          <CheckboxField name={`questions[${i}].required`} label="An answer is required" state={p.state} />
        </fieldset>
      ))}
    </fieldset>
  );
}

/** The whole page body. */
export function Dashboard(p: { d: DashboardData; csrf: string }): JSX.Element {
  const d = p.d;
  const e = d.ev.row;
  const s = d.ev.settings;
  const tz = e.time_zone;
  const windowNote =
    d.ev.window === 'closed_early'
      ? `Closed early on ${localLabel(s.closedAt!, tz)}.`
      : d.ev.window === 'not_yet_open'
        ? `Not open yet: opens on ${localLabel(s.opensAt!, tz)}.`
        : d.ev.window === 'closed'
          ? 'Closed (the closing time has passed).'
          : 'Open: people can RSVP now.';
  return (
    <>
      <h1 safe>{`Registration: ${e.title}`}</h1>
      {d.actionError ? (
        <div class="error-summary" role="alert" tabindex="-1">
          <p safe>{d.actionError.message}</p>
        </div>
      ) : (
        ''
      )}
      <Counts c={d.counts} />
      <section aria-labelledby="window-heading">
        <h2 id="window-heading">RSVPs</h2>
        <p class="rsvp-window" safe>
          {windowNote}
        </p>
        {s.closedAt ? (
          <ButtonForm action={regPaths.registration(e.id, 'open')} csrf={p.csrf} label="Reopen RSVPs" />
        ) : (
          <ButtonForm action={regPaths.registration(e.id, 'close')} csrf={p.csrf} label="Close RSVPs now" class="button-secondary" />
        )}
        <p>
          Attendees RSVP at <a href={`/events/${encodeURIComponent(e.slug)}/rsvp`} safe>{`/events/${e.slug}/rsvp`}</a>; volunteers check people in on the{' '}
          <a href={regPaths.checkin(e.id)}>check-in page</a>.
        </p>
      </section>
      <section aria-labelledby="capacity-heading">
        <h2 id="capacity-heading">Capacity</h2>
        <PostForm action={regPaths.registration(e.id, 'capacity')} csrf={p.csrf} label="Capacity">
          <ErrorSummary state={d.capacityState} labels={{ capacity: 'Seats' }} />
          <TextField
            name="capacity"
            label="Seats (attendees and their guests; blank for no limit)"
            type="number"
            min="1"
            state={d.capacityState}
            fallback={s.capacity}
          />
          <p class="hint">
            Raising it promotes the first people on the waitlist. Lowering it below the confirmed seats asks you to confirm who moves to the waitlist.
          </p>
          <button type="submit">Change capacity</button>
        </PostForm>
      </section>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <PostForm action={regPaths.registration(e.id, 'settings')} csrf={p.csrf} label="Registration settings">
          <ErrorSummary state={d.settingsState} labels={{ opensAt: 'Opens', closesAt: 'Closes', guestLimit: 'Guest limit', reminderHours: 'Reminders' }} />
          <TextField name="opensAt" label={`RSVPs open (${tz})`} type="datetime-local" hint="Blank: open now." state={d.settingsState} />
          <TextField name="closesAt" label={`RSVPs close (${tz})`} type="datetime-local" hint="Blank: when the event starts." state={d.settingsState} />
          <TextField name="guestLimit" label="Guests each person may bring" type="number" min="0" max="20" state={d.settingsState} />
          <TextField
            name="reminderHours"
            label="Reminder e-mails, hours before the start"
            hint="For example: 24, 2. Blank: no reminders."
            state={d.settingsState}
          />
          <CheckboxField name="allowSessionOverlap" label="Allow signing up for sessions at the same time" state={d.settingsState} />
          <QuestionRows state={d.settingsState} />
          <button type="submit">Save settings</button>
        </PostForm>
      </section>
      <section aria-labelledby="tickets-heading">
        <h2 id="tickets-heading">Ticket types</h2>
        {d.types.length ? (
          <ul class="reg-ticket-types">
            {d.types.map((t) => (
              <li safe>{`${t.name}: ${t.quota === null ? `${t.taken} seats taken (no quota)` : `${t.taken} of ${t.quota} seats taken`}`}</li>
            ))}
          </ul>
        ) : (
          <p>No ticket types: everyone gets the same free ticket.</p>
        )}
        <PostForm action={regPaths.registration(e.id, 'ticket-types')} csrf={p.csrf} label="Add a ticket type">
          <ErrorSummary state={d.ticketState} labels={{ name: 'Name', quota: 'Quota' }} />
          <TextField name="name" label="Name" state={d.ticketState} />
          <TextField name="description" label="Description" state={d.ticketState} />
          <TextField name="quota" label="Seats of this type (blank for no quota)" type="number" min="1" state={d.ticketState} />
          <button type="submit">Add ticket type</button>
        </PostForm>
      </section>
      <Attendees d={d} csrf={p.csrf} />
    </>
  );
}

/** The confirmation step when lowering capacity below the confirmed seats. */
export function CapacityConfirm(p: { ev: RegEvent; capacity: number; error: DomainError; csrf: string }): JSX.Element {
  const e = p.ev.row;
  const n = p.error.problems.length;
  return (
    <section class="reg-confirm" aria-labelledby="confirm-heading">
      <h1 id="confirm-heading">Confirm: lower the capacity</h1>
      <div class="error-summary" role="alert" tabindex="-1">
        <p
          safe
        >{`Lowering the capacity to ${p.capacity} moves ${plural(n, 'confirmed RSVP')} (the latest confirmed) to the head of the waitlist. Each is told by e-mail. Nothing has changed yet.`}</p>
      </div>
      <h2>Who would move to the waitlist</h2>
      <ol class="reg-movers">
        {p.error.problems.map((pr) => (
          <li safe>{pr.message}</li>
        ))}
      </ol>
      <PostForm action={regPaths.registration(e.id, 'capacity')} csrf={p.csrf} label="Confirm the capacity change">
        <input type="hidden" name="capacity" value={String(p.capacity)} />
        <input type="hidden" name="confirmMoveToWaitlist" value={String(n)} />
        <button type="submit" safe>{`Move ${plural(n, 'RSVP')} to the waitlist and set ${p.capacity} seats`}</button>
      </PostForm>
      <p>
        <a href={regPaths.registration(e.id)}>Keep the current capacity</a>
      </p>
    </section>
  );
}
