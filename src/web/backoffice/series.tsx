import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { EVENT_KINDS } from '../../modules/events/event.js';
import { createSeries, deleteOccurrence, generateOccurrences, previewSeries, updateSeries } from '../../modules/events/series.actions.js';
import { getSeries, listSeries, type SeriesRecord } from '../../modules/events/series.queries.js';
import { FREQUENCIES, MAX_OCCURRENCES, ORDINALS, WEEKDAYS, type PlannedOccurrence } from '../../modules/events/series.js';
import { SESSION_KIND_LABELS, SESSION_KINDS } from '../../modules/program/session.js';
import { ButtonForm, ErrorSummary, PostForm, SelectField, TextArea, TextField, formState, formStateFromError, type FormState } from '../components/form.js';
import { LocalClock, todayIn } from '../components/time-format.js';
import { sendPage } from '../private.js';
import { ActionError, DataTable, Facts, bo, boContext, boPage, buttonAction, formBody, gatherRows, idParam, submitForm, type BoContext } from './shared.js';

/*
 * Event series of a community (owners and organizers):
 *   GET  /manage/communities/:communityId/series        the series and the new-series form
 *   POST /manage/communities/:communityId/series        intent=preview: the form again with the
 *                                                       dates it would make (computed here, no
 *                                                       JavaScript); otherwise createSeries
 *   GET  /manage/series/:seriesId                       template and rule (editable), the dates
 *                                                       still to generate, the occurrences made
 *   POST /manage/series/:seriesId                       updateSeries (affects only dates not yet generated)
 *   POST /manage/series/:seriesId/generate              generateOccurrences (idempotent)
 *   POST /manage/series/:seriesId/events/:eventId/delete   deleteOccurrence (drafts without RSVPs)
 * Cancelling an occurrence links to the cancel form on the event's settings page (reason,
 * confirmation, mails to everyone going): one cancellation path for every event.
 */
export async function seriesPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/communities/:communityId/series', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const list = await listSeries(ctx.db, c.actor, idParam(request, 'communityId'));
    return sendPage(reply, renderSeriesList(c, list, formState(NEW_DEFAULTS)));
  });

  app.post('/manage/communities/:communityId/series', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const list = await listSeries(ctx.db, c.actor, idParam(request, 'communityId'));
    const body = withAgenda(formBody(request));
    if (body.intent === 'preview') {
      try {
        const preview = previewSeries(body);
        return sendPage(reply, renderSeriesList(c, list, formState(flatValues(body)), preview));
      } catch (err) {
        return sendPage(reply, renderSeriesList(c, list, formStateFromError(err, flatValues(body))), err instanceof DomainError ? err.status : 422);
      }
    }
    return submitForm(
      reply,
      flatValues(body),
      () => createSeries(ctx, c.actor, list.community.id, body),
      (s) => ({ to: seriesPath(s.id), notice: `Series "${s.name}" created. Generate its events when the dates look right.` }),
      (state) => renderSeriesList(c, list, state),
    );
  });

  app.get('/manage/series/:seriesId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const data = await getSeries(ctx.db, c.actor, idParam(request, 'seriesId'));
    return sendPage(reply, renderSeries(c, ctx.clock.now(), data, formState(recordValues(data.series))));
  });

  app.post('/manage/series/:seriesId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const data = await getSeries(ctx.db, c.actor, idParam(request, 'seriesId'));
    const body = withAgenda(formBody(request));
    return submitForm(
      reply,
      flatValues(body),
      () => updateSeries(ctx, c.actor, data.series.id, body),
      (s) => ({ to: seriesPath(s.id), notice: `Series "${s.name}" saved. Events already generated are unchanged.` }),
      (state) => renderSeries(c, ctx.clock.now(), data, state),
    );
  });

  app.post('/manage/series/:seriesId/generate', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const data = await getSeries(ctx.db, c.actor, idParam(request, 'seriesId'));
    let notice = '';
    return buttonAction(
      reply,
      async () => {
        const r = await generateOccurrences(ctx, c.actor, data.series.id);
        notice = `${r.created.length} draft event${r.created.length === 1 ? '' : 's'} created; ${r.alreadyGenerated.length} date${r.alreadyGenerated.length === 1 ? ' was' : 's were'} already generated.`;
      },
      {
        to: seriesPath(data.series.id),
        get notice() {
          return notice;
        },
      },
      (error) => renderSeries(c, ctx.clock.now(), data, formState(recordValues(data.series)), error),
    );
  });

  app.post('/manage/series/:seriesId/events/:eventId/delete', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const data = await getSeries(ctx.db, c.actor, idParam(request, 'seriesId'));
    const eventId = idParam(request, 'eventId');
    const occ = data.occurrences.find((o) => o.eventId === eventId);
    return buttonAction(
      reply,
      () => deleteOccurrence(ctx, c.actor, eventId),
      { to: seriesPath(data.series.id), notice: `${occ?.title ?? 'The event'} (${occ?.date ?? ''}) deleted; the date will not be generated again.` },
      (error) => renderSeries(c, ctx.clock.now(), data, formState(recordValues(data.series)), error),
    );
  });
}

const seriesPath = (id: number) => `/manage/series/${id}`;
const communitySeriesPath = (id: number) => `/manage/communities/${id}/series`;

const NEW_DEFAULTS = {
  kind: 'meetup',
  timeZone: 'Europe/Lisbon',
  startTime: '18:30',
  endTime: '21:00',
  frequency: 'monthly',
  ordinal: 'second',
  weekday: 'tuesday',
  intervalWeeks: '1',
  titlePattern: '{name} #{n}',
};

/** The form body with its `agenda[i].…` rows gathered into `agenda`. */
function withAgenda(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, agenda: gatherRows(body, 'agenda') };
}

/** The body's flat fields (what the form shows again), without the gathered agenda. */
function flatValues(body: Record<string, unknown>): Record<string, unknown> {
  const { agenda: _agenda, intent: _intent, ...rest } = body;
  return rest;
}

function recordValues(s: SeriesRecord): Record<string, unknown> {
  const v: Record<string, unknown> = {
    name: s.name,
    slug: s.slug,
    titlePattern: s.titlePattern,
    kind: s.kind,
    description: s.description,
    venueName: s.venueName,
    venueAddress: s.venueAddress,
    venueUrl: s.venueUrl ?? '',
    capacity: s.capacity ?? '',
    timeZone: s.timeZone,
    startTime: s.startTime,
    endTime: s.endTime,
    frequency: s.frequency,
    weekday: s.weekday,
    ordinal: s.ordinal ?? '',
    intervalWeeks: s.intervalWeeks,
    startsOn: s.startsOn,
    endsOn: s.endsOn ?? '',
    count: s.count ?? '',
  };
  s.agenda.forEach((a, i) => {
    v[`agenda[${i}].kind`] = a.kind;
    v[`agenda[${i}].title`] = a.title;
    v[`agenda[${i}].offsetMinutes`] = a.offsetMinutes;
    v[`agenda[${i}].durationMinutes`] = a.durationMinutes;
  });
  return v;
}

const LABELS: Record<string, string> = {
  name: 'Name',
  slug: 'Address (slug)',
  titlePattern: 'Event title',
  timeZone: 'Time zone',
  startTime: 'Starts at',
  endTime: 'Ends at',
  frequency: 'Repeats',
  weekday: 'Weekday',
  ordinal: 'Which one',
  intervalWeeks: 'Every … weeks',
  startsOn: 'From',
  endsOn: 'Until',
  count: 'Number of occurrences',
  capacity: 'Capacity',
};

const cap = (s: string) => s.replace(/^./, (x) => x.toUpperCase());

function SeriesForm(p: { c: BoContext; action: string; state: FormState; editing: boolean }): JSX.Element {
  const st = p.state;
  const rows = Math.min(
    30,
    Math.max(
      0,
      ...Object.keys(st.values)
        .map((k) => /^agenda\[(\d+)\]\./.exec(k)?.[1])
        .filter((x): x is string => x !== undefined)
        .map((i) => Number(i) + 1),
    ) + 3,
  );
  return (
    <PostForm action={p.action} csrf={p.c.csrf} label={p.editing ? 'Series template' : 'New series'}>
      <TextField name="name" label="Name" state={st} required />
      <TextField
        name="slug"
        label="Address (slug)"
        hint="Each event's address is this plus its date, e.g. cloud-native-lisbon-2027-03-09."
        state={st}
        required
      />
      <TextField
        name="titlePattern"
        label="Event title"
        hint="{n} is the occurrence number, {month} the month (March 2027), {date} the date."
        state={st}
        required
      />
      <SelectField name="kind" label="Kind" state={st} options={EVENT_KINDS.map((k) => ({ value: k, label: cap(k) }))} />
      <fieldset>
        <legend>When</legend>
        <TextField
          name="timeZone"
          label="Time zone"
          hint="IANA name, e.g. Europe/Lisbon. Times stay the same local time across daylight-saving changes."
          state={st}
          required
        />
        <TextField name="startTime" type="time" label="Starts at" state={st} />
        <TextField name="endTime" type="time" label="Ends at" hint="Before the start means the next day." state={st} />
        <SelectField
          name="frequency"
          label="Repeats"
          state={st}
          options={FREQUENCIES.map((f) => ({ value: f, label: f === 'monthly' ? 'Monthly, on the Nth weekday' : 'Every K weeks' }))}
        />
        <SelectField
          name="ordinal"
          label="Which one (monthly)"
          state={st}
          options={[{ value: '', label: '—' }, ...ORDINALS.map((o) => ({ value: o, label: cap(o) }))]}
        />
        <SelectField name="weekday" label="Weekday" state={st} options={WEEKDAYS.map((w) => ({ value: w, label: cap(w) }))} />
        <TextField name="intervalWeeks" type="number" min="1" max="52" label="Every … weeks (weekly)" state={st} />
        <TextField name="startsOn" type="date" label="From" state={st} required />
        <TextField name="endsOn" type="date" label="Until" hint="An end date, a number of occurrences, or both." state={st} />
        <TextField
          name="count"
          type="number"
          min="1"
          max={String(MAX_OCCURRENCES)}
          label="Number of occurrences"
          hint={`At most ${MAX_OCCURRENCES}.`}
          state={st}
        />
      </fieldset>
      <fieldset>
        <legend>Venue and text</legend>
        <TextField name="venueName" label="Venue" state={st} />
        <TextField name="venueAddress" label="Address" state={st} />
        <TextField name="venueUrl" type="url" label="Venue website" state={st} />
        <TextField name="capacity" type="number" min="1" label="Capacity" hint="Seats per event; blank = unlimited." state={st} />
        <TextArea name="description" label="Description" hint="Markdown." state={st} />
      </fieldset>
      {Array.from({ length: rows }, (_, i) => (
        <fieldset class="bo-row">
          <legend safe>{`Agenda item ${i + 1}`}</legend>
          <SelectField
            name={`agenda[${i}].kind`}
            label="Kind"
            state={st}
            fallback="talk"
            options={SESSION_KINDS.map((k) => ({ value: k, label: SESSION_KIND_LABELS[k] }))}
          />
          <TextField name={`agenda[${i}].title`} label="Title" state={st} />
          <TextField name={`agenda[${i}].offsetMinutes`} type="number" min="0" label="Minutes after the start" state={st} />
          <TextField name={`agenda[${i}].durationMinutes`} type="number" min="1" label="Duration (minutes)" state={st} />
        </fieldset>
      ))}
      <p class="bo-actions">
        <button type="submit" name="intent" value="save">
          {p.editing ? 'Save template' : 'Create series'}
        </button>
        {p.editing ? (
          ''
        ) : (
          <button type="submit" name="intent" value="preview" class="secondary">
            Preview dates
          </button>
        )}
      </p>
    </PostForm>
  );
}

function OccurrencePreview(p: { occurrences: readonly PlannedOccurrence[]; timeZone: string; caption: string }): JSX.Element {
  const clock = new LocalClock(p.timeZone);
  return (
    <DataTable caption={p.caption} headers={['Date', 'Title', 'Local time', 'UTC']} empty="No dates left to generate.">
      {p.occurrences.map((o) => (
        <tr>
          <td safe>{o.date}</td>
          <td safe>{o.title}</td>
          <td safe>{`${clock.at(o.startsAt).hhmm}–${clock.at(o.endsAt).hhmm}`}</td>
          <td safe>{`${o.startsAt} – ${o.endsAt}`}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function renderSeriesList(
  c: BoContext,
  list: Awaited<ReturnType<typeof listSeries>>,
  state: FormState,
  preview?: { description: string; occurrences: PlannedOccurrence[] },
): string {
  return boPage(c, {
    title: `Series of ${list.community.name}`,
    children: (
      <>
        <h1 safe>{`Event series of ${list.community.name}`}</h1>
        <p class="bo-actions">
          <a href={`/manage/communities/${list.community.id}/members`}>Members</a>
          <a href={`/communities/${encodeURIComponent(list.community.slug)}`}>Public page</a>
        </p>
        <DataTable caption="Series" headers={['Series', 'Repeats', 'Time']} empty="No series yet.">
          {list.series.map((s) => (
            <tr>
              <td>
                <a href={seriesPath(s.id)} safe>
                  {s.name}
                </a>
              </td>
              <td safe>{s.frequency === 'monthly' ? `${s.ordinal} ${s.weekday} of each month` : `every ${s.intervalWeeks} week(s) on ${s.weekday}`}</td>
              <td safe>{`${s.startTime}–${s.endTime} ${s.timeZone}`}</td>
            </tr>
          ))}
        </DataTable>
        <h2>New series</h2>
        <ErrorSummary state={state} labels={LABELS} />
        {preview ? (
          <section aria-labelledby="preview">
            <h3 id="preview" safe>{`Preview: ${preview.description}`}</h3>
            <OccurrencePreview occurrences={preview.occurrences} timeZone={state.values.timeZone ?? 'UTC'} caption="Dates this series would make" />
          </section>
        ) : (
          ''
        )}
        <SeriesForm c={c} action={communitySeriesPath(list.community.id)} state={state} editing={false} />
      </>
    ),
  });
}

function renderSeries(c: BoContext, now: Date, data: Awaited<ReturnType<typeof getSeries>>, state: FormState, error?: DomainError): string {
  const s = data.series;
  let upcoming: PlannedOccurrence[] = [];
  let description = '';
  try {
    const p = previewSeries({ ...recordValues(s), agenda: s.agenda });
    const taken = new Set(data.occurrences.map((o) => o.date));
    const today = todayIn(s.timeZone, now);
    upcoming = p.occurrences.filter((o) => !taken.has(o.date) && o.date >= today);
    description = p.description;
  } catch {
    // A stored template that no longer plans (zone rules changed): the form shows it to fix.
  }
  return boPage(c, {
    title: s.name,
    children: (
      <>
        <h1 safe>{s.name}</h1>
        <p class="bo-actions">
          <a href={communitySeriesPath(data.community.id)} safe>{`All series of ${data.community.name}`}</a>
        </p>
        <Facts
          items={[
            ['Repeats', description || '—'],
            ['Time', `${s.startTime}–${s.endTime} (${s.timeZone})`],
            ['Generated', String(data.occurrences.length)],
          ]}
        />
        <ActionError error={error} />
        <h2>Dates still to generate</h2>
        <OccurrencePreview occurrences={upcoming} timeZone={s.timeZone} caption="Dates still to generate" />
        <ButtonForm action={`${seriesPath(s.id)}/generate`} csrf={c.csrf} label="Generate draft events" />
        <p class="hint">Dates already generated are skipped, also when their event was edited, cancelled or deleted.</p>
        <h2>Occurrences</h2>
        <DataTable caption="Generated occurrences" headers={['Date', 'Event', 'Status', '']} empty="Nothing generated yet.">
          {data.occurrences.map((o) => (
            <tr>
              <td safe>{o.date}</td>
              <td>
                {o.eventId ? (
                  <a href={bo.event(o.eventId)} safe>
                    {o.title ?? ''}
                  </a>
                ) : (
                  'deleted'
                )}
              </td>
              <td>{o.eventId === null ? 'deleted' : o.cancelled ? 'cancelled' : o.published ? 'published' : 'draft'}</td>
              <td class="bo-row-actions">
                {o.eventId && !o.cancelled ? (
                  <a class="button secondary" href={`${bo.event(o.eventId, 'edit')}#cancel-h`}>
                    Cancel…
                  </a>
                ) : (
                  ''
                )}
                {o.eventId && !o.published ? (
                  <ButtonForm action={`${seriesPath(s.id)}/events/${o.eventId}/delete`} csrf={c.csrf} label="Delete" class="secondary" />
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        <h2>Template</h2>
        <p class="hint">Changes apply to dates generated from now on; events already generated keep their settings (edit them one by one).</p>
        <ErrorSummary state={state} labels={LABELS} />
        <SeriesForm c={c} action={seriesPath(s.id)} state={state} editing={true} />
      </>
    ),
  });
}
