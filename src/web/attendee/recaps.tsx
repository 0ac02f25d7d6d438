import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { createRecapDraft, deleteRecap, publishRecap, saveRecapDraft, unpublishRecap } from '../../modules/agenda/recap.actions.js';
import { exportRecapMarkdown, getMyRecap, listMyRecaps, type Recap } from '../../modules/agenda/recap.queries.js';
import { AgendaErrors } from '../../modules/agenda/agenda.errors.js';
import type { ProgramSnapshot } from '../../modules/schedule/snapshot.js';
import { CheckboxField, ErrorSummary, PostForm, SelectField, TextArea, TextField, formState, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { formatDayLong } from '../components/time-format.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { recapHtmlDocument } from './recap-render.js';
import { attendeePaths, bodyOf, cachedSnapshots, eventOf, field, formFailure, gatherRows, idParam, sendAttendeePage } from './shared.js';

/**
 * Private routes (the author's own recaps; anyone else's answers 404):
 *   GET  /events/:slug/recaps/new              the person's recaps and "write a recap" (whole event or one day)
 *   POST /events/:slug/recaps/new              createRecapDraft from stars and notes → edit page
 *   GET  /events/:slug/recaps/:id/edit         title, introduction, per section notes and Q&A,
 *                                              move up/down, remove; publish, export, delete
 *   POST /events/:slug/recaps/:id/edit         saveRecapDraft (a `move` button reorders first)
 *   POST /events/:slug/recaps/:id/publish      publishRecap (optional permalink)
 *   POST /events/:slug/recaps/:id/unpublish    unpublishRecap
 *   POST /events/:slug/recaps/:id/delete       deleteRecap
 *   GET  /events/:slug/recaps/:id/export.md    the Markdown (own, or anyone's published one)
 *   GET  /events/:slug/recaps/:id/export.html  the same as a standalone HTML document
 */
export async function recapRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/recaps/new', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return newRecapPage(ctx, request, reply, actor, formState(), 200);
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/recaps/new', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const input = { day: field(request.body, 'day') };
    try {
      const recap = await createRecapDraft(ctx, actor, head.id, input, cachedSnapshots(ctx, head));
      return redirectWithNotice(reply, attendeePaths.editRecap(head.slug, recap.id), 'Your draft is ready: edit it, then publish or export it.');
    } catch (err) {
      const { state, status } = formFailure(err, input);
      return newRecapPage(ctx, request, reply, actor, state, status);
    }
  });

  app.get<{ Params: { slug: string; id: string } }>('/events/:slug/recaps/:id/edit', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return editPage(ctx, request, reply, actor, null, 200);
  });

  app.post<{ Params: { slug: string; id: string } }>('/events/:slug/recaps/:id/edit', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const recap = await ownRecap(ctx, actor, head.id, request.params.id);
    const body = bodyOf(request);
    const sections = gatherRows(body, 'sections');
    const move = /^(up|down):(\d{1,3})$/.exec(field(body, 'move'));
    if (move) {
      const i = Number(move[2]);
      const j = move[1] === 'up' ? i - 1 : i + 1;
      if (i < sections.length && j >= 0 && j < sections.length) [sections[i], sections[j]] = [sections[j]!, sections[i]!];
    }
    try {
      await saveRecapDraft(ctx, actor, recap.id, { title: field(body, 'title'), introduction: field(body, 'introduction'), sections });
    } catch (err) {
      const { state, status } = formFailure(err, body);
      return editPage(ctx, request, reply, actor, state, status);
    }
    return redirectWithNotice(reply, attendeePaths.editRecap(head.slug, recap.id), move ? 'Section moved and recap saved.' : 'Recap saved.');
  });

  app.post<{ Params: { slug: string; id: string } }>('/events/:slug/recaps/:id/publish', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const recap = await ownRecap(ctx, actor, head.id, request.params.id);
    const input = { slug: field(request.body, 'slug') };
    try {
      const published = await publishRecap(ctx, actor, recap.id, input);
      return redirectWithNotice(reply, attendeePaths.editRecap(head.slug, recap.id), `Published at ${attendeePaths.recap(head.slug, published.slug ?? '')}.`);
    } catch (err) {
      const { state, status } = formFailure(err, input);
      return editPage(ctx, request, reply, actor, state, status);
    }
  });

  app.post<{ Params: { slug: string; id: string } }>('/events/:slug/recaps/:id/unpublish', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const recap = await ownRecap(ctx, actor, head.id, request.params.id);
    await unpublishRecap(ctx, actor, recap.id);
    return redirectWithNotice(reply, attendeePaths.editRecap(head.slug, recap.id), 'Your recap is a private draft again.');
  });

  app.post<{ Params: { slug: string; id: string } }>('/events/:slug/recaps/:id/delete', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const recap = await ownRecap(ctx, actor, head.id, request.params.id);
    await deleteRecap(ctx, actor, recap.id);
    return redirectWithNotice(reply, attendeePaths.newRecap(head.slug), `"${recap.title}" is deleted.`);
  });

  for (const format of ['md', 'html'] as const) {
    app.get<{ Params: { slug: string; id: string } }>(`/events/:slug/recaps/:id/export.${format}`, async (request, reply) => {
      const { head, snap } = await eventOf(ctx, request.params.slug);
      const { filename, markdown, recap } = await exportRecapMarkdown(ctx.db, request.actor, idParam(request.params.id), cachedSnapshots(ctx, head));
      if (recap.eventId !== head.id) throw AgendaErrors.notFound('recap');
      const name = format === 'md' ? filename : filename.replace(/\.md$/, '.html');
      reply.header('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
      if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(markdown);
      return reply.type('text/html; charset=utf-8').send(recapHtmlDocument(recap, snap.event.title, markdown));
    });
  }
}

/** The actor's recap of this event (another event's, or someone else's, is 404). */
async function ownRecap(ctx: AppContext, actor: Actor, eventId: number, rawId: string): Promise<Recap> {
  const recap = await getMyRecap(ctx.db, actor, idParam(rawId));
  if (recap.eventId !== eventId) throw AgendaErrors.notFound('recap');
  return recap;
}

async function newRecapPage(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { slug: string } }>,
  reply: FastifyReply,
  actor: Actor,
  state: FormState,
  status: number,
): Promise<FastifyReply> {
  const { head, snap } = await eventOf(ctx, request.params.slug);
  const mine = await listMyRecaps(ctx.db, actor, head.id);
  const e = snap.event;
  return sendAttendeePage(request, reply, actor, {
    title: 'Write a recap',
    event: e,
    status,
    body: (csrf) => (
      <>
        <header class="page-head">
          <h1>
            Write a recap <span class="page-head-event" safe>{`· ${e.title}`}</span>
          </h1>
          <p>
            A recap starts as a private draft built from your starred sessions and notes: one section per session, in time order, with a list of talks at the
            top. Edit and reorder it, then publish it on the event or export it.
          </p>
        </header>
        <section class="account-card" aria-labelledby="new-heading">
          <h2 id="new-heading">New draft</h2>
          <ErrorSummary state={state} labels={{ day: 'Day' }} />
          <PostForm action={attendeePaths.newRecap(e.slug)} csrf={csrf}>
            <SelectField
              name="day"
              label="Which part of the event"
              state={state}
              options={[{ value: '', label: 'The whole event' }, ...snap.days.map((d) => ({ value: d, label: formatDayLong(d) }))]}
            />
            <button type="submit">Write a draft from my notes</button>
          </PostForm>
        </section>
        <section aria-labelledby="mine-heading">
          <h2 id="mine-heading">Your recaps</h2>
          {mine.length === 0 ? (
            <p class="empty">None yet.</p>
          ) : (
            <ul class="recap-list">
              {mine.map((r) => (
                <li>
                  <a href={attrText(attendeePaths.editRecap(e.slug, r.id))} safe>
                    {r.title}
                  </a>{' '}
                  <span class="badge">{r.status === 'published' ? 'Published' : 'Draft'}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </>
    ),
  });
}

async function editPage(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { slug: string; id: string } }>,
  reply: FastifyReply,
  actor: Actor,
  failed: FormState | null,
  status: number,
): Promise<FastifyReply> {
  const { head, snap } = await eventOf(ctx, request.params.slug);
  const recap = await ownRecap(ctx, actor, head.id, request.params.id);
  const e = snap.event;
  const state = failed ?? formState();
  const editAction = attendeePaths.editRecap(e.slug, recap.id);
  return sendAttendeePage(request, reply, actor, {
    title: `Edit: ${recap.title}`,
    event: e,
    status,
    body: (csrf) => (
      <>
        <header class="page-head">
          <p class="eyebrow">
            <a href={attrText(attendeePaths.newRecap(e.slug))}>Your recaps</a> · <span>{recap.status === 'published' ? 'Published' : 'Private draft'}</span>
          </p>
          <h1 safe>{recap.title}</h1>
          {recap.status === 'published' && recap.slug ? (
            <p>
              Public at{' '}
              <a href={attrText(attendeePaths.recap(e.slug, recap.slug))} safe>
                {attendeePaths.recap(e.slug, recap.slug)}
              </a>
            </p>
          ) : (
            ''
          )}
        </header>
        <ErrorSummary state={state} labels={{ title: 'Title', introduction: 'Introduction', slug: 'Permalink' }} />
        <PostForm action={editAction} csrf={csrf} class="recap-form" label="Edit the recap">
          <TextField name="title" label="Title" state={state} fallback={recap.title} required />
          <TextArea name="introduction" label="Introduction (Markdown)" state={state} fallback={recap.introduction} rows={4} />
          <button type="submit">Save</button>
          {recap.sections.length === 0 ? <p class="empty">No sections left.</p> : ''}
          {recap.sections.map((s, i) => (
            <RecapSectionFields index={i} count={recap.sections.length} title={sectionTitle(snap, s.sessionId, s.title)} section={s} state={state} />
          ))}
          <button type="submit">Save</button>
        </PostForm>
        <section class="account-card" aria-labelledby="publish-heading">
          <h2 id="publish-heading">Publish and export</h2>
          {recap.status === 'published' ? (
            <PostForm action={attendeePaths.recapAction(e.slug, recap.id, 'unpublish')} csrf={csrf} class="button-form">
              <button type="submit">Unpublish (make it private again)</button>
            </PostForm>
          ) : (
            <PostForm action={attendeePaths.recapAction(e.slug, recap.id, 'publish')} csrf={csrf}>
              <TextField
                name="slug"
                label="Permalink (optional)"
                state={state}
                fallback={recap.slug ?? ''}
                hint="Lower-case letters, digits and hyphens; blank: made from the title."
              />
              <button type="submit">Publish on the event</button>
            </PostForm>
          )}
          <p>
            Export: <a href={attrText(attendeePaths.recapAction(e.slug, recap.id, 'export.md'))}>Markdown (.md)</a> ·{' '}
            <a href={attrText(attendeePaths.recapAction(e.slug, recap.id, 'export.html'))}>HTML (.html)</a>
          </p>
          <PostForm action={attendeePaths.recapAction(e.slug, recap.id, 'delete')} csrf={csrf} class="button-form">
            <button type="submit" class="danger">
              Delete this recap
            </button>
          </PostForm>
        </section>
      </>
    ),
  });
}

function sectionTitle(snap: ProgramSnapshot, sessionId: number | null, stored: string): string {
  return (sessionId === null ? undefined : snap.sessions.find((s) => s.id === sessionId)?.title) ?? stored;
}

function RecapSectionFields(p: { index: number; count: number; title: string; section: Recap['sections'][number]; state: FormState }): JSX.Element {
  const i = p.index;
  const name = (f: string) => `sections[${i}].${f}`;
  return (
    <fieldset class="recap-section">
      <legend safe>{`${i + 1}. ${p.title}`}</legend>
      <input type="hidden" name={name('sessionId')} value={p.section.sessionId === null ? '' : String(p.section.sessionId)} />
      <input type="hidden" name={name('title')} value={attrText(p.section.title)} />
      <TextArea name={name('notes')} label={`Notes on ${p.title}`} state={p.state} fallback={p.section.notes} rows={8} />
      <TextArea name={name('qa')} label={`Q&A of ${p.title}`} state={p.state} fallback={p.section.qa} rows={4} />
      <div class="recap-section-tools">
        {i > 0 ? (
          <button type="submit" name="move" value={`up:${i}`} class="link-button">
            ↑ Move up<span class="vh" safe>{` ${p.title}`}</span>
          </button>
        ) : (
          ''
        )}
        {i < p.count - 1 ? (
          <button type="submit" name="move" value={`down:${i}`} class="link-button">
            ↓ Move down<span class="vh" safe>{` ${p.title}`}</span>
          </button>
        ) : (
          ''
        )}
        <CheckboxField name={name('remove')} label={`Remove ${p.title} from the recap`} state={p.state} />
      </div>
    </fieldset>
  );
}
