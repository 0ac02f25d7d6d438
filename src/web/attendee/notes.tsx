import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { deleteNote, getMyNote, listMyNotes, saveNote, type Note } from '../../modules/agenda/note.actions.js';
import { DomainError } from '../../lib/domain-error.js';
import { ErrorSummary, PostForm, TextArea, formState, type FormState } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { renderMarkdown } from '../components/markdown.js';
import { formatSessionWhen, LocalClock } from '../components/time-format.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { attendeePaths, bodyOf, eventOf, field, formFailure, sendAttendeePage, sessionOf, wantsJson } from './shared.js';

/**
 * Private routes:
 *   GET  /events/:slug/sessions/:code/notes          the person's Markdown note and Q&A on a session
 *   POST /events/:slug/sessions/:code/notes          saveNote: a plain form post (redirect with a
 *                                                    notice), or JSON for assets/notes.js, which
 *                                                    saves as you type with the revision it holds
 *                                                    ({revision} or 409 NOTE_CONFLICT)
 *   POST /events/:slug/sessions/:code/notes/delete   deleteNote
 *   GET  /events/:slug/my-notes                      all the person's notes in the event
 * Only the owner's note is ever read (the queries filter on the actor), so nobody else's exists.
 */
export async function noteRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/notes', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return notePage(ctx, request, reply, actor, formState(), 200);
  });

  app.post<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/notes', async (request, reply) => {
    const json = wantsJson(request);
    if (!request.actor && json) return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.', status: 401 } });
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, request.params.code);
    const body = bodyOf(request);
    const input = { body: field(body, 'body'), qa: field(body, 'qa'), revision: field(body, 'revision') };
    try {
      const note = await saveNote(ctx.db, actor, head.id, session.id, input, ctx.clock);
      if (json) return reply.send({ revision: note.revision, updatedAt: note.updatedAt });
      return redirectWithNotice(reply, attendeePaths.notes(snap.event.slug, session.code), 'Your note is saved.');
    } catch (err) {
      if (json && err instanceof DomainError && err.status < 500) {
        const current = err.code === 'NOTE_CONFLICT' ? await getMyNote(ctx.db, actor, session.id) : null;
        return reply.code(err.status).send({ error: { code: err.code, message: err.message, status: err.status }, revision: current?.revision ?? 0 });
      }
      const { state, status } = formFailure(err, input);
      return notePage(ctx, request, reply, actor, state, status);
    }
  });

  app.post<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/notes/delete', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, request.params.code);
    await deleteNote(ctx.db, actor, session.id);
    return redirectWithNotice(reply, attendeePaths.myNotes(snap.event.slug), `Your note on "${session.title}" is deleted.`);
  });

  app.get<{ Params: { slug: string } }>('/events/:slug/my-notes', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const notes = await listMyNotes(ctx.db, actor, head.id);
    const e = snap.event;
    return sendAttendeePage(request, reply, actor, {
      title: 'My notes',
      event: e,
      body: () => (
        <>
          <header class="page-head">
            <h1>
              My notes <span class="page-head-event" safe>{`· ${e.title}`}</span>
            </h1>
            <p>
              Private: only you can see them. <a href={attrText(attendeePaths.myAgenda(e.slug))}>My agenda</a> ·{' '}
              <a href={attrText(attendeePaths.newRecap(e.slug))}>Turn them into a recap</a>
            </p>
          </header>
          {notes.length === 0 ? (
            <p class="empty">No notes yet. Open a session from your agenda and take notes there.</p>
          ) : (
            <ul class="note-list">
              {notes.map((n) => {
                const safeBody = renderMarkdown(n.body);
                return (
                  <li class="note-card">
                    <h2>
                      <a href={attrText(attendeePaths.notes(e.slug, n.sessionCode))} safe>
                        {n.sessionTitle}
                      </a>
                    </h2>
                    <div class="prose">{safeBody}</div>
                    {n.qa.trim() ? <p class="hint">{'Has Q&amp;A notes.'}</p> : ''}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ),
    });
  });
}

async function notePage(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { slug: string; code: string } }>,
  reply: FastifyReply,
  actor: Actor,
  state: FormState,
  status: number,
): Promise<FastifyReply> {
  const { snap } = await eventOf(ctx, request.params.slug);
  const session = sessionOf(snap, request.params.code);
  const note: Note | null = await getMyNote(ctx.db, actor, session.id);
  const e = snap.event;
  const conflict = state.message !== undefined && note !== null && state.values.revision !== undefined && state.values.revision !== String(note.revision);
  const action = attendeePaths.notes(e.slug, session.code);
  return sendAttendeePage(request, reply, actor, {
    title: `Notes on ${session.title}`,
    event: e,
    status,
    scripts: ['/assets/notes.js'],
    body: (csrf) => (
      <>
        <header class="page-head">
          <p class="eyebrow">Your private notes</p>
          <h1 safe>{session.title}</h1>
          <p safe>{formatSessionWhen(new LocalClock(e.timeZone), session.startsAt, session.endsAt)}</p>
          <p>
            <a href={attrText(paths.session(e.slug, session.code))}>Session page</a> · <a href={attrText(attendeePaths.myAgenda(e.slug))}>My agenda</a> ·{' '}
            <a href={attrText(attendeePaths.myNotes(e.slug))}>My notes</a> · <a href={attrText(attendeePaths.feedback(e.slug, session.code))}>Give feedback</a>
          </p>
        </header>
        <ErrorSummary state={state} labels={{ body: 'Notes', qa: 'Q&A' }} />
        <form method="post" action={attrText(action)} class="note-form" data-autosave="on">
          <input type="hidden" name="_csrf" value={attrText(csrf)} />
          {/* After a conflict the form holds the stored revision: saving again keeps what you typed. */}
          <input type="hidden" name="revision" value={String(note?.revision ?? 0)} />
          <TextArea
            name="body"
            label="Notes (Markdown)"
            state={state}
            fallback={note?.body ?? ''}
            rows={14}
            hint="Private. Saved as you type when JavaScript is on; otherwise press Save."
          />
          <TextArea name="qa" label="Q&A" state={state} fallback={note?.qa ?? ''} rows={6} hint="Questions from the audience and the answers." />
          <p class="save-status" role="status" aria-live="polite">
            {note ? `Saved (revision ${note.revision}).` : ''}
          </p>
          <button type="submit">Save</button>
        </form>
        {conflict && note ? (
          <section class="account-card" aria-labelledby="stored-heading">
            <h2 id="stored-heading">The note as saved elsewhere</h2>
            <pre class="stored-note" safe>
              {note.body}
            </pre>
          </section>
        ) : (
          ''
        )}
        {note ? (
          <PostForm action={`${action}/delete`} csrf={csrf} class="button-form">
            <button type="submit" class="danger">
              Delete this note
            </button>
          </PostForm>
        ) : (
          ''
        )}
      </>
    ),
  });
}
