import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { canEditSession } from '../../modules/accounts/account.policy.js';
import { getInterestCounts } from '../../modules/agenda/agenda.queries.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import { listSessionsForEditing, type EventForEditing } from '../../modules/program/backoffice.queries.js';
import type { SessionRecord } from '../../modules/program/records.js';
import { LINK_KINDS, SESSION_KIND_LABELS, SESSION_KINDS, SESSION_LEVELS, SESSION_STATUSES } from '../../modules/program/session.js';
import { createSession, updateSession } from '../../modules/program/session.actions.js';
import { cancelSession, deleteSession, restoreSession } from '../../modules/program/session-state.actions.js';
import { ButtonForm, ErrorSummary, PostForm, SelectField, TextArea, TextField, formState, type FormState, type Option } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { formatDayMedium, LocalClock } from '../components/time-format.js';
import {
  ActionError,
  bo,
  boContext,
  boPage,
  buttonAction,
  DataTable,
  formBody,
  gatherRows,
  idParam,
  loadEvent,
  queryOf,
  remapErrors,
  StateBadge,
  submitForm,
  type BoContext,
} from './shared.js';

/*
 * Sessions (organizers: all; track managers: those of their tracks, enforced by the actions and
 * by listSessionsForEditing).
 *   GET  /manage/events/:id/sessions                         list (?day, ?trackId, ?roomId, ?status,
 *                                                            ?sort=interest: most starred first)
 *   GET  /manage/events/:id/sessions/new                     new session form
 *   POST /manage/events/:id/sessions/new
 *   GET  /manage/events/:id/sessions/:sessionId              edit form
 *   POST /manage/events/:id/sessions/:sessionId
 *   POST /manage/events/:id/sessions/:sessionId/cancel|restore|delete
 */
export async function sessionPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/sessions', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    const { sort, ...filter } = queryOf(request);
    let sessions: SessionRecord[] = [];
    let error: DomainError | undefined;
    try {
      sessions = await listSessionsForEditing(ctx.db, c.actor, ed.event.id, filter);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 422) throw err;
      error = err;
    }
    const interest = await interestOf(ctx, c, ed);
    if (sort === 'interest') sessions = [...sessions].sort((a, b) => (interest.get(b.id) ?? 0) - (interest.get(a.id) ?? 0));
    return reply
      .code(error ? 422 : 200)
      .type('text/html; charset=utf-8')
      .send(renderSessionList(c, ed, sessions, { ...filter, ...(sort === 'interest' ? { sort } : {}) }, interest, error));
  });

  app.get('/manage/events/:eventId/sessions/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    const tracks = editableTracks(ed);
    if (tracks !== 'all' && tracks.length === 0) throw EventErrors.forbidden('add sessions to this event');
    const q = queryOf(request);
    const initial = formState({
      kind: 'talk',
      language: 'en',
      durationMinutes: '30',
      day: q.day ?? ed.days[0] ?? '',
      trackId: tracks === 'all' ? '' : String(tracks[0]!.id),
    });
    return reply.type('text/html; charset=utf-8').send(renderSessionForm(c, ed, null, initial));
  });

  app.post('/manage/events/:eventId/sessions/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createSession(ctx, c.actor, ed.event.id, sessionInput(body, ed)),
      (s) => ({ to: bo.event(ed.event.id, 'sessions'), notice: `Session "${s.title}" added (${formatDayMedium(s.day)}, ${s.start.slice(11, 16)}).` }),
      (state) => renderSessionForm(c, ed, null, state),
    );
  });

  app.get('/manage/events/:eventId/sessions/:sessionId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { ed, session } = await loadSession(ctx, c, request);
    const interest = await interestOf(ctx, c, ed);
    return reply.type('text/html; charset=utf-8').send(renderSessionForm(c, ed, session, formState(), undefined, interest.get(session.id) ?? 0));
  });

  app.post('/manage/events/:eventId/sessions/:sessionId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { ed, session } = await loadSession(ctx, c, request);
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateSession(ctx, c.actor, ed.event.id, session.id, sessionInput(body, ed)),
      (s) => ({ to: bo.event(ed.event.id, 'sessions'), notice: `Session "${s.title}" saved.` }),
      (state) => renderSessionForm(c, ed, session, state),
    );
  });

  const transitions = {
    cancel: { run: cancelSession, done: 'cancelled (it stays on the programme, marked cancelled)' },
    restore: { run: restoreSession, done: 'restored' },
    delete: { run: deleteSession, done: 'deleted' },
  } as const;
  for (const [name, t] of Object.entries(transitions)) {
    app.post(`/manage/events/:eventId/sessions/:sessionId/${name}`, async (request, reply) => {
      const c = boContext(request, reply);
      if (!c) return reply;
      const { ed, session } = await loadSession(ctx, c, request);
      return buttonAction(
        reply,
        () => t.run(ctx, c.actor, ed.event.id, session.id),
        { to: bo.event(ed.event.id, 'sessions'), notice: `Session "${session.title}" ${t.done}.` },
        (error) => renderSessionForm(c, ed, session, formState(), error),
      );
    });
  }
}

/**
 * Stars per session id (expected audience): organizers and track managers always see them; a
 * draft event has no attendees yet, so no stars.
 */
async function interestOf(ctx: AppContext, c: BoContext, ed: EventForEditing): Promise<ReadonlyMap<number, number>> {
  if (ed.event.state !== 'published') return new Map();
  return (await getInterestCounts(ctx.db, c.actor, ed.event.id))?.counts ?? new Map();
}

/** The event and one of its sessions, which the actor must be allowed to edit (else 403). */
async function loadSession(ctx: AppContext, c: BoContext, request: FastifyRequest): Promise<{ ed: EventForEditing; session: SessionRecord }> {
  const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
  const sessionId = idParam(request, 'sessionId');
  const session = ed.sessions.find((s) => s.id === sessionId);
  if (!session) throw EventErrors.notFound('session', sessionId);
  if (!canEditSession(c.actor, { eventId: ed.event.id, communityId: ed.event.communityId }, session)) throw EventErrors.forbidden('edit this session');
  return { ed, session };
}

/** Tracks the actor may put sessions in: 'all' for organizers (who may also leave the track empty). */
function editableTracks(ed: EventForEditing): 'all' | EventForEditing['tracks'] {
  const ids = ed.permissions.editableTrackIds;
  return ids === 'all' ? 'all' : ed.tracks.filter((t) => ids.includes(t.id));
}

/**
 * The action's input from the form: `start` from the programme day and the local time (a time
 * before the day change is in the night after that day), every speaker and link row replaced.
 */
function sessionInput(body: Record<string, unknown>, ed: EventForEditing): Record<string, unknown> {
  return { ...body, start: localStart(body.day, body.time, ed.event.dayChange), speakerIds: body.speakerIds ?? [], links: gatherRows(body, 'links') };
}

/**
 * A session's local start from a form's programme day and time: a time before the day change
 * is in the night after that day. '' when either is missing (the action reports it).
 */
export function localStart(dayField: unknown, timeField: unknown, dayChange: string): string {
  const day = typeof dayField === 'string' ? dayField.trim() : '';
  const time = typeof timeField === 'string' ? timeField.trim() : '';
  if (!day || !time) return '';
  const date = /^\d{2}:\d{2}$/.test(time) && time < dayChange ? (DateTime.fromISO(day).plus({ days: 1 }).toISODate() ?? day) : day;
  return `${date}T${time}`;
}

const SESSION_LABELS: Record<string, string> = {
  kind: 'Kind',
  title: 'Title',
  subtitle: 'Subtitle',
  abstract: 'Abstract',
  day: 'Day',
  time: 'Start time',
  durationMinutes: 'Duration',
  roomId: 'Room',
  trackId: 'Track',
  sponsorId: 'Sponsor',
  language: 'Language',
  level: 'Level',
  speakerIds: 'Speakers',
};

function dayOptions(ed: EventForEditing): Option[] {
  return ed.days.map((d) => ({ value: d, label: formatDayMedium(d) }));
}

function linkLabel(path: string): string {
  const m = /^links\[(\d+)\]\.(\w+)$/.exec(path);
  return m ? `Link ${Number(m[1]) + 1} ${m[2]}` : path;
}

function renderSessionForm(
  c: BoContext,
  ed: EventForEditing,
  session: SessionRecord | null,
  rawState: FormState,
  error?: DomainError,
  interested?: number,
): string {
  const id = ed.event.id;
  const state = remapErrors(rawState, { start: 'time', speakerIds: 'speakerIds' });
  const tracks = editableTracks(ed);
  const none = (label: string): Option => ({ value: '', label });
  const links = session?.links ?? [];
  const submittedRows = Object.keys(state.values)
    .map((k) => /^links\[(\d+)\]\./.exec(k)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number);
  const rowCount = Math.min(20, Math.max(links.length + 2, 2, ...submittedRows.map((n) => n + 1)));
  const linkFallback = (i: number, field: 'kind' | 'title' | 'url') =>
    links[i]?.[field] ?? (field === 'kind' ? (i === 0 ? 'slides' : i === 1 ? 'video' : 'other') : '');
  const labels: Record<string, string> = { ...SESSION_LABELS };
  for (const k of Object.keys(state.errors)) if (k.startsWith('links[')) labels[k] = linkLabel(k);
  const title = session ? `Edit ${session.title}` : 'New session';
  return boPage(c, {
    title,
    event: { ed, section: 'sessions' },
    children: (
      <>
        <h1 safe>{title}</h1>
        {session ? (
          <p>
            <StateBadge state={session.status} /> Code <code safe>{session.code}</code>
            {interested === undefined ? '' : <span class="bo-interest" safe>{` · ${interested} interested`}</span>}
            {ed.event.state === 'published' && session.status === 'confirmed' ? (
              <>
                {' '}
                · <a href={paths.session(ed.event.slug, session.code)}>Public page</a>
              </>
            ) : (
              ''
            )}
          </p>
        ) : (
          ''
        )}
        <ActionError error={error} />
        <ErrorSummary state={state} labels={labels} />
        <PostForm action={bo.event(id, session ? `sessions/${session.id}` : 'sessions/new')} csrf={c.csrf}>
          <fieldset>
            <legend>What</legend>
            <SelectField
              name="kind"
              label="Kind"
              state={state}
              fallback={session?.kind}
              options={SESSION_KINDS.map((k) => ({ value: k, label: SESSION_KIND_LABELS[k] }))}
            />
            <TextField name="title" label="Title" state={state} fallback={session?.title} required />
            <TextField name="subtitle" label="Subtitle" state={state} fallback={session?.subtitle} />
            <TextArea name="abstract" label="Abstract" hint="Markdown." rows={8} state={state} fallback={session?.abstract} />
            <TextField name="language" label="Language" hint="A language code such as en, de or pt-BR." state={state} fallback={session?.language} />
            <SelectField
              name="level"
              label="Level"
              state={state}
              fallback={session?.level}
              options={[none('— not given —'), ...SESSION_LEVELS.map((l) => ({ value: l, label: l }))]}
            />
          </fieldset>
          <fieldset>
            <legend safe>{`When and where (times in ${ed.event.timeZone})`}</legend>
            <SelectField name="day" label="Day" state={state} fallback={session?.day} options={dayOptions(ed)} required />
            <TextField
              name="time"
              type="time"
              label="Start time"
              hint={`Local time at the venue. Times before ${ed.event.dayChange} are in the night after the chosen day.`}
              state={state}
              fallback={session?.start.slice(11, 16)}
              required
            />
            <TextField
              name="durationMinutes"
              type="number"
              min="1"
              max="1440"
              label="Duration (minutes)"
              state={state}
              fallback={session?.durationMinutes}
              required
            />
            <SelectField
              name="roomId"
              label="Room"
              state={state}
              fallback={session?.roomId}
              options={[none('— no room —'), ...ed.rooms.map((r) => ({ value: String(r.id), label: r.name }))]}
            />
            <SelectField
              name="trackId"
              label="Track"
              state={state}
              fallback={session?.trackId}
              options={[
                ...(tracks === 'all' ? [none('— no track —')] : []),
                ...(tracks === 'all' ? ed.tracks : tracks).map((t) => ({ value: String(t.id), label: t.name })),
              ]}
            />
            {ed.sponsors.length ? (
              <SelectField
                name="sponsorId"
                label="Sponsored by"
                state={state}
                fallback={session?.sponsorId}
                options={[none('— none —'), ...ed.sponsors.map((s) => ({ value: String(s.id), label: s.name }))]}
              />
            ) : (
              ''
            )}
          </fieldset>
          <fieldset>
            <legend>Speakers</legend>
            {ed.speakers.length ? (
              <SelectField
                name="speakerIds"
                label="Speakers"
                hint="Select several with Ctrl or Cmd. Missing someone? Add them on the Speakers page first."
                multiple
                state={state}
                fallback={session?.speakerIds.join(',')}
                options={ed.speakers.map((s) => ({ value: String(s.id), label: s.name }))}
              />
            ) : (
              <p>
                No speakers yet: <a href={bo.event(id, 'speakers/new')}>add a speaker</a> first.
              </p>
            )}
          </fieldset>
          <fieldset>
            <legend>Links (slides, video…)</legend>
            <p class="hint">Leave a row empty to drop it.</p>
            {Array.from({ length: rowCount }, (_, i) => (
              <fieldset class="bo-row">
                <legend safe>{`Link ${i + 1}`}</legend>
                <SelectField
                  name={`links[${i}].kind`}
                  label="Kind"
                  state={state}
                  fallback={linkFallback(i, 'kind')}
                  options={LINK_KINDS.map((k) => ({ value: k, label: k }))}
                />
                <TextField name={`links[${i}].title`} label="Title" state={state} fallback={linkFallback(i, 'title')} />
                <TextField name={`links[${i}].url`} type="url" label="Address" state={state} fallback={linkFallback(i, 'url')} />
              </fieldset>
            ))}
          </fieldset>
          <button type="submit">{session ? 'Save session' : 'Add session'}</button> <a href={bo.event(id, 'sessions')}>Back to sessions</a>
        </PostForm>
        {session ? (
          <section class="card bo-danger-zone" aria-labelledby="state-h">
            <h2 id="state-h">Cancel or delete</h2>
            <p>Cancelling keeps the session on the programme, marked cancelled, so people and calendars learn of it. Delete only mistakes.</p>
            <p class="bo-actions">
              {session.status === 'confirmed' ? (
                <ButtonForm action={bo.event(id, `sessions/${session.id}/cancel`)} csrf={c.csrf} label="Cancel session" class="secondary" />
              ) : (
                <ButtonForm action={bo.event(id, `sessions/${session.id}/restore`)} csrf={c.csrf} label="Restore session" class="secondary" />
              )}
              <ButtonForm action={bo.event(id, `sessions/${session.id}/delete`)} csrf={c.csrf} label="Delete session" class="danger" />
            </p>
          </section>
        ) : (
          ''
        )}
      </>
    ),
  });
}

function renderSessionList(
  c: BoContext,
  ed: EventForEditing,
  sessions: readonly SessionRecord[],
  filter: Record<string, string>,
  interest: ReadonlyMap<number, number>,
  error?: DomainError,
): string {
  const id = ed.event.id;
  const clock = new LocalClock(ed.event.timeZone);
  const rooms = new Map(ed.rooms.map((r) => [r.id, r.name]));
  const tracks = new Map(ed.tracks.map((t) => [t.id, t.name]));
  const speakers = new Map(ed.speakers.map((s) => [s.id, s.name]));
  const visibleTracks = editableTracks(ed);
  const f = formState(filter);
  const any = (label: string): Option => ({ value: '', label });
  return boPage(c, {
    title: 'Sessions',
    event: { ed, section: 'sessions' },
    children: (
      <>
        <h1>Sessions</h1>
        {visibleTracks === 'all' ? '' : <p class="lede">You see the sessions of the tracks you manage.</p>}
        <p class="bo-actions">
          <a class="button" href={bo.event(id, 'sessions/new')}>
            Add a session
          </a>{' '}
          <a href={bo.event(id, 'schedule')}>Open the schedule editor</a> (rooms × time, drag and drop)
        </p>
        <ActionError error={error} />
        <form method="get" action={attrText(bo.event(id, 'sessions'))} class="bo-filters" aria-label="Filter sessions">
          <SelectField name="day" label="Day" state={f} options={[any('Any day'), ...dayOptions(ed)]} />
          <SelectField
            name="trackId"
            label="Track"
            state={f}
            options={[any('Any track'), ...(visibleTracks === 'all' ? ed.tracks : visibleTracks).map((t) => ({ value: String(t.id), label: t.name }))]}
          />
          <SelectField name="roomId" label="Room" state={f} options={[any('Any room'), ...ed.rooms.map((r) => ({ value: String(r.id), label: r.name }))]} />
          <SelectField name="status" label="Status" state={f} options={[any('Any status'), ...SESSION_STATUSES.map((s) => ({ value: s, label: s }))]} />
          <SelectField
            name="sort"
            label="Order"
            state={f}
            options={[
              { value: '', label: 'By time' },
              { value: 'interest', label: 'Most interested first' },
            ]}
          />
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        <DataTable
          caption={`Sessions, times in ${ed.event.timeZone}`}
          headers={['When', 'Session', 'Room', 'Track', 'Speakers', 'Interested', 'Status']}
          empty="No sessions match."
        >
          {sessions.map((s) => (
            <tr>
              <td safe>{`${formatDayMedium(s.day)} ${s.start.slice(11, 16)}–${clock.at(s.endsAt).hhmm}`}</td>
              <th scope="row">
                <a href={bo.event(id, `sessions/${s.id}`)} safe>
                  {s.title}
                </a>{' '}
                <span class="hint" safe>
                  {SESSION_KIND_LABELS[s.kind]}
                </span>
              </th>
              <td safe>{s.roomId === null ? '—' : (rooms.get(s.roomId) ?? '—')}</td>
              <td safe>{s.trackId === null ? '—' : (tracks.get(s.trackId) ?? '—')}</td>
              <td safe>{s.speakerIds.map((sp) => speakers.get(sp) ?? '?').join(', ') || '—'}</td>
              <td class="num" safe>
                {String(interest.get(s.id) ?? 0)}
              </td>
              <td>
                <StateBadge state={s.status} />
              </td>
            </tr>
          ))}
        </DataTable>
      </>
    ),
  });
}
