import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { createSpeaker, deleteSpeaker, updateSpeaker } from '../../modules/speakers/speaker.actions.js';
import { canCreateSpeaker, canEditSpeaker } from '../../modules/speakers/speaker.policy.js';
import type { SpeakerRecord } from '../../modules/speakers/records.js';
import { speakerEmailsVisibleTo } from '../../modules/speakers/speaker.queries.js';
import { HANDLE_KINDS, HANDLE_LABELS } from '../../modules/speakers/speaker.js';
import { ButtonForm, ErrorSummary, PostForm, TextArea, TextField, formState, type FormState } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { datesBetween } from '../../lib/time.js';
import { setSpeakerAvailability } from '../../modules/planning/availability.actions.js';
import { speakerWindows } from '../../modules/planning/availability.queries.js';
import type { WindowInput } from '../../modules/planning/planning.schemas.js';
import { WindowsFields } from './availability.js';
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
  remapErrors,
  submitForm,
  type BoContext,
} from './shared.js';

/*
 * Speaker profiles (organizers; track managers for speakers of their tracks only).
 *   GET  /manage/events/:id/speakers                          list
 *   GET  /manage/events/:id/speakers/new                      new speaker form
 *   POST /manage/events/:id/speakers/new
 *   GET  /manage/events/:id/speakers/:speakerId               edit form
 *   POST /manage/events/:id/speakers/:speakerId
 *   POST /manage/events/:id/speakers/:speakerId/delete        (SPEAKER_HAS_SESSIONS lists them)
 *   POST /manage/events/:id/speakers/:speakerId/availability  when they can speak (the schedule
 *                                                            editor warns outside it)
 */
export async function speakerPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/speakers', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    const emails = await speakerEmailsVisibleTo(ctx.db, c.actor, ed.event.id);
    return reply.type('text/html; charset=utf-8').send(renderSpeakers(c, ed, emails));
  });

  app.get('/manage/events/:eventId/speakers/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    if (!canCreateSpeaker(c.actor, scopeOf(ed))) throw EventErrors.forbidden('add speakers to this event');
    return reply.type('text/html; charset=utf-8').send(renderSpeakerForm(c, ed, null, formState()));
  });

  app.post('/manage/events/:eventId/speakers/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createSpeaker(ctx, c.actor, ed.event.id, body),
      (s) => ({ to: bo.event(ed.event.id, 'speakers'), notice: `Speaker "${s.name}" added.` }),
      (state) => renderSpeakerForm(c, ed, null, state),
    );
  });

  app.get('/manage/events/:eventId/speakers/:speakerId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { ed, speaker } = await loadSpeaker(ctx, c, request);
    const email = (await speakerEmailsVisibleTo(ctx.db, c.actor, ed.event.id))?.get(speaker.id);
    const windows = await speakerWindows(ctx.db, { id: ed.event.id, time_zone: ed.event.timeZone }, speaker.id);
    return reply.type('text/html; charset=utf-8').send(renderSpeakerForm(c, ed, speaker, formState(), email, { windows, state: formState() }));
  });

  app.post('/manage/events/:eventId/speakers/:speakerId/availability', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { ed, speaker } = await loadSpeaker(ctx, c, request);
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => setSpeakerAvailability(ctx, c.actor, ed.event.id, speaker.id, { windows: gatherRows(body, 'windows') }),
      (n) => ({
        to: bo.event(ed.event.id, `speakers/${speaker.id}`),
        notice: `Availability of ${speaker.name} saved: ${n ? `${n} window${n === 1 ? '' : 's'}` : 'any time'}.`,
      }),
      (state) => renderSpeakerForm(c, ed, speaker, formState(), undefined, { windows: [], state }),
    );
  });

  app.post('/manage/events/:eventId/speakers/:speakerId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { ed, speaker } = await loadSpeaker(ctx, c, request);
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateSpeaker(ctx, c.actor, ed.event.id, speaker.id, body),
      (s) => ({ to: bo.event(ed.event.id, 'speakers'), notice: `Speaker "${s.name}" saved.` }),
      (state) => renderSpeakerForm(c, ed, speaker, state),
    );
  });

  app.post('/manage/events/:eventId/speakers/:speakerId/delete', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { ed, speaker } = await loadSpeaker(ctx, c, request);
    return buttonAction(
      reply,
      () => deleteSpeaker(ctx, c.actor, ed.event.id, speaker.id),
      { to: bo.event(ed.event.id, 'speakers'), notice: `Speaker "${speaker.name}" deleted.` },
      async (error) => renderSpeakers(c, ed, await speakerEmailsVisibleTo(ctx.db, c.actor, ed.event.id), error),
    );
  });
}

const scopeOf = (ed: EventForEditing) => ({ eventId: ed.event.id, communityId: ed.event.communityId });

/** Tracks of the sessions a speaker is listed in (cancelled ones too). */
function speakerTracks(ed: EventForEditing, speakerId: number): Array<number | null> {
  return ed.sessions.filter((s) => s.speakerIds.includes(speakerId)).map((s) => s.trackId);
}

async function loadSpeaker(ctx: AppContext, c: BoContext, request: FastifyRequest): Promise<{ ed: EventForEditing; speaker: SpeakerRecord }> {
  const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
  const speakerId = idParam(request, 'speakerId');
  const speaker = ed.speakers.find((s) => s.id === speakerId);
  if (!speaker) throw EventErrors.notFound('speaker', speakerId);
  if (!canEditSpeaker(c.actor, scopeOf(ed), speakerTracks(ed, speaker.id))) throw EventErrors.forbidden('edit this speaker');
  return { ed, speaker };
}

const SPEAKER_LABELS: Record<string, string> = {
  name: 'Name',
  jobTitle: 'Job title',
  company: 'Company',
  bio: 'Biography',
  avatarUrl: 'Photo address',
  ...HANDLE_LABELS,
};

function renderSpeakerForm(
  c: BoContext,
  ed: EventForEditing,
  speaker: SpeakerRecord | null,
  rawState: FormState,
  email?: string,
  availability?: { windows: readonly WindowInput[]; state: FormState },
): string {
  const state = remapErrors(rawState, Object.fromEntries(HANDLE_KINDS.map((k) => [`handles.${k}`, k])));
  const title = speaker ? `Edit ${speaker.name}` : 'New speaker';
  return boPage(c, {
    title,
    event: { ed, section: 'speakers' },
    children: (
      <>
        <h1 safe>{title}</h1>
        <ErrorSummary state={state} labels={SPEAKER_LABELS} />
        {email ? (
          <p>
            E-mail (private, from the speaker's account; never shown publicly):{' '}
            <a href={`mailto:${attrText(email)}`} safe>
              {email}
            </a>
          </p>
        ) : (
          ''
        )}
        <PostForm action={bo.event(ed.event.id, speaker ? `speakers/${speaker.id}` : 'speakers/new')} csrf={c.csrf}>
          <fieldset>
            <legend>Profile (public)</legend>
            <TextField name="name" label="Name" state={state} fallback={speaker?.name} required />
            <TextField name="jobTitle" label="Job title" state={state} fallback={speaker?.jobTitle} />
            <TextField name="company" label="Company" state={state} fallback={speaker?.company} />
            <TextArea name="bio" label="Biography" hint="Markdown." state={state} fallback={speaker?.bio} />
            <TextField
              name="avatarUrl"
              type="url"
              label="Photo address"
              hint="An https address of a square photo; optional."
              state={state}
              fallback={speaker?.avatarUrl}
            />
          </fieldset>
          <fieldset>
            <legend>Handles (public)</legend>
            <p class="hint">Account names as people type them (e.g. ada-example, @ada@example.social); the website as a full address.</p>
            {HANDLE_KINDS.map((k) => (
              <TextField name={k} label={HANDLE_LABELS[k]} state={state} fallback={speaker?.handles[k]} />
            ))}
          </fieldset>
          <button type="submit">{speaker ? 'Save speaker' : 'Add speaker'}</button> <a href={bo.event(ed.event.id, 'speakers')}>Back to speakers</a>
        </PostForm>
        {speaker && availability ? (
          <section class="card" aria-labelledby="availability-h">
            <h2 id="availability-h">Availability</h2>
            <p class="hint" safe>
              {`When this speaker can speak (times in ${ed.event.timeZone}); no window means any time. The schedule editor warns when a session is outside it. Speakers with an account state it themselves on their proposal; this edits the same windows.`}
            </p>
            <ErrorSummary state={availability.state} />
            <PostForm action={bo.event(ed.event.id, `speakers/${speaker.id}/availability`)} csrf={c.csrf} label={`Availability of ${speaker.name}`}>
              <WindowsFields
                days={datesBetween(ed.event.startDate, ed.event.endDate)}
                windows={availability.windows}
                state={availability.state}
                legend="Available"
              />
              <button type="submit">Save availability</button>
            </PostForm>
          </section>
        ) : (
          ''
        )}
      </>
    ),
  });
}

function renderSpeakers(c: BoContext, ed: EventForEditing, emails: ReadonlyMap<number, string> | null, error?: DomainError): string {
  const id = ed.event.id;
  const count = new Map<number, number>();
  for (const s of ed.sessions) for (const sp of s.speakerIds) count.set(sp, (count.get(sp) ?? 0) + 1);
  const canCreate = canCreateSpeaker(c.actor, scopeOf(ed));
  return boPage(c, {
    title: 'Speakers',
    event: { ed, section: 'speakers' },
    children: (
      <>
        <h1>Speakers</h1>
        {canCreate ? (
          <p class="bo-actions">
            <a class="button" href={bo.event(id, 'speakers/new')}>
              Add a speaker
            </a>
          </p>
        ) : (
          ''
        )}
        <ActionError error={error} />
        <DataTable
          caption="Speakers"
          headers={['Speaker', 'Job title and company', ...(emails ? ['E-mail (private)'] : []), 'Sessions', 'Actions']}
          empty="No speakers yet."
        >
          {ed.speakers.map((s) => {
            const editable = canEditSpeaker(c.actor, scopeOf(ed), speakerTracks(ed, s.id));
            return (
              <tr>
                <th scope="row">
                  {editable ? (
                    <a href={bo.event(id, `speakers/${s.id}`)} safe>
                      {s.name}
                    </a>
                  ) : (
                    <span safe>{s.name}</span>
                  )}
                </th>
                <td safe>{[s.jobTitle, s.company].filter(Boolean).join(', ') || '—'}</td>
                {emails ? <td safe>{emails.get(s.id) ?? '—'}</td> : ''}
                <td safe>{String(count.get(s.id) ?? 0)}</td>
                <td class="bo-row-actions">
                  {ed.event.state === 'published' && count.get(s.id) ? <a href={paths.speaker(ed.event.slug, s.code)}>Public page</a> : ''}
                  {editable ? <ButtonForm action={bo.event(id, `speakers/${s.id}/delete`)} csrf={c.csrf} label={`Delete ${s.name}`} class="danger" /> : ''}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </>
    ),
  });
}
