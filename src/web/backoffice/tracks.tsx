import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import type { TrackRecord } from '../../modules/program/records.js';
import { createTrack, deleteTrack, updateTrack } from '../../modules/program/track.actions.js';
import { ButtonForm, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { ActionError, bo, boContext, boPage, buttonAction, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Tracks and their colours (organizers).
 *   GET  /manage/events/:id/tracks                     list + add form
 *   POST /manage/events/:id/tracks                     add
 *   GET  /manage/events/:id/tracks/:trackId            edit form
 *   POST /manage/events/:id/tracks/:trackId            save
 *   POST /manage/events/:id/tracks/:trackId/delete     delete (its sessions stay, without a track)
 */
export async function trackPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/tracks', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return reply.type('text/html; charset=utf-8').send(renderTracks(c, ed, formState({ color: '#0a58ca' })));
  });

  app.post('/manage/events/:eventId/tracks', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createTrack(ctx.db, c.actor, ed.event.id, body),
      (track) => ({ to: bo.event(ed.event.id, 'tracks'), notice: `Track "${track.name}" added.` }),
      (state) => renderTracks(c, ed, state),
    );
  });

  app.get('/manage/events/:eventId/tracks/:trackId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const track = findTrack(ed, idParam(request, 'trackId'));
    return reply.type('text/html; charset=utf-8').send(renderTrackForm(c, ed, track, formState()));
  });

  app.post('/manage/events/:eventId/tracks/:trackId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const track = findTrack(ed, idParam(request, 'trackId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateTrack(ctx.db, c.actor, ed.event.id, track.id, body),
      (saved) => ({ to: bo.event(ed.event.id, 'tracks'), notice: `Track "${saved.name}" saved.` }),
      (state) => renderTrackForm(c, ed, track, state),
    );
  });

  app.post('/manage/events/:eventId/tracks/:trackId/delete', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const track = findTrack(ed, idParam(request, 'trackId'));
    return buttonAction(
      reply,
      () => deleteTrack(ctx.db, c.actor, ed.event.id, track.id),
      { to: bo.event(ed.event.id, 'tracks'), notice: `Track "${track.name}" deleted; its sessions have no track now.` },
      (error) => renderTracks(c, ed, formState(), error),
    );
  });
}

function findTrack(ed: EventForEditing, trackId: number): TrackRecord {
  const track = ed.tracks.find((t) => t.id === trackId);
  if (!track) throw EventErrors.notFound('track', trackId);
  return track;
}

const TRACK_LABELS: Record<string, string> = { name: 'Name', color: 'Colour', description: 'Description' };

function TrackFields(p: { state: FormState; track?: TrackRecord }): JSX.Element {
  return (
    <>
      <TextField name="name" label="Name" state={p.state} fallback={p.track?.name} required />
      <TextField name="color" type="color" label="Colour" hint="Marks the track's sessions on the schedule." state={p.state} fallback={p.track?.color} />
      <TextField name="description" label="Description" state={p.state} fallback={p.track?.description} />
    </>
  );
}

function renderTracks(c: BoContext, ed: EventForEditing, state: FormState, error?: DomainError): string {
  const id = ed.event.id;
  return boPage(c, {
    title: 'Tracks',
    event: { ed, section: 'tracks' },
    children: (
      <>
        <h1>Tracks</h1>
        <ActionError error={error} />
        {ed.tracks.length === 0 ? (
          <p>No tracks yet. Tracks are optional; they group sessions by topic and let track managers run their part.</p>
        ) : (
          <div class="bo-table-wrap">
            <table class="data-table">
              <caption class="vh">Tracks</caption>
              <thead>
                <tr>
                  <th scope="col">Track</th>
                  <th scope="col">Colour</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {ed.tracks.map((t) => (
                  <tr>
                    <th scope="row">
                      <a href={bo.event(id, `tracks/${t.id}`)} safe>
                        {t.name}
                      </a>
                    </th>
                    <td>
                      <code safe>{t.color}</code>
                    </td>
                    <td class="bo-row-actions">
                      <ButtonForm action={bo.event(id, `tracks/${t.id}/delete`)} csrf={c.csrf} label={`Delete ${t.name}`} class="danger" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <section class="card" aria-labelledby="add-track-h">
          <h2 id="add-track-h">Add a track</h2>
          <ErrorSummary state={state} labels={TRACK_LABELS} />
          <PostForm action={bo.event(id, 'tracks')} csrf={c.csrf}>
            <TrackFields state={state} />
            <button type="submit">Add track</button>
          </PostForm>
        </section>
      </>
    ),
  });
}

function renderTrackForm(c: BoContext, ed: EventForEditing, track: TrackRecord, state: FormState): string {
  return boPage(c, {
    title: `Track ${track.name}`,
    event: { ed, section: 'tracks' },
    children: (
      <>
        <h1 safe>{`Edit track ${track.name}`}</h1>
        <ErrorSummary state={state} labels={TRACK_LABELS} />
        <PostForm action={bo.event(ed.event.id, `tracks/${track.id}`)} csrf={c.csrf}>
          <TrackFields state={state} track={track} />
          <button type="submit">Save track</button> <a href={bo.event(ed.event.id, 'tracks')}>Cancel</a>
        </PostForm>
      </>
    ),
  });
}
