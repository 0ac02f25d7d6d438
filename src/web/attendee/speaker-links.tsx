import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { addSessionLink, removeSessionLink } from '../../modules/agenda/speaker-links.actions.js';
import { getSessionForLinkEditing } from '../../modules/agenda/speaker-links.queries.js';
import { LINK_KINDS } from '../../modules/program/session.js';
import { ButtonForm, ErrorSummary, PostForm, SelectField, TextField, formState, type FormState } from '../components/form.js';
import { attrText, paths, safeUrl } from '../components/html.js';
import { formatSessionWhen, LocalClock } from '../components/time-format.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { attendeePaths, bodyOf, eventOf, field, formFailure, sendAttendeePage, sessionOf } from './shared.js';

/**
 * Private routes (inside privatePages: cookie auth, no-store, CSRF on POST) for a session's own
 * speakers to add slides and video after the talk; organizers and the track's managers may use
 * them too (they also edit links in the back office). Anyone else gets 403; signed-out visitors
 * are sent to sign in. Every change bumps the event version, so the cached public session
 * page, the schedule exports and recaps show the new links at once.
 *   GET  /events/:slug/sessions/:code/links                 the links and the "add a link" form
 *   POST /events/:slug/sessions/:code/links                 addSessionLink
 *   POST /events/:slug/sessions/:code/links/:index/remove   removeSessionLink
 */
export async function speakerLinkRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/links', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return linksPage(ctx, request, reply, actor, formState({ kind: 'slides' }), 200);
  });

  app.post<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/links', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, request.params.code);
    const body = bodyOf(request);
    const input = { kind: field(body, 'kind'), title: field(body, 'title'), url: field(body, 'url') };
    try {
      await addSessionLink(ctx, actor, head.id, session.id, input);
    } catch (err) {
      const { state, status } = formFailure(err, input);
      if (status === 403) throw err;
      return linksPage(ctx, request, reply, actor, state, status);
    }
    return redirectWithNotice(reply, attendeePaths.links(snap.event.slug, session.code), 'The link is added: the session page shows it now.');
  });

  app.post<{ Params: { slug: string; code: string; index: string } }>('/events/:slug/sessions/:code/links/:index/remove', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, request.params.code);
    const index = /^\d{1,3}$/.test(request.params.index) ? Number(request.params.index) : -1;
    await removeSessionLink(ctx, actor, head.id, session.id, index);
    return redirectWithNotice(reply, attendeePaths.links(snap.event.slug, session.code), 'The link is removed.');
  });
}

const KIND_LABELS: Record<(typeof LINK_KINDS)[number], string> = {
  slides: 'Slides',
  video: 'Video',
  recording: 'Recording',
  code: 'Code',
  website: 'Website',
  other: 'Other',
};

async function linksPage(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { slug: string; code: string } }>,
  reply: FastifyReply,
  actor: Actor,
  state: FormState,
  status: number,
): Promise<FastifyReply> {
  const { head, snap } = await eventOf(ctx, request.params.slug);
  const session = sessionOf(snap, request.params.code);
  // 403 for someone who is neither a speaker of the session nor may edit it.
  await getSessionForLinkEditing(ctx.db, actor, head.id, session.id);
  const e = snap.event;
  const links = session.links;
  return sendAttendeePage(request, reply, actor, {
    title: `Slides and video · ${session.title}`,
    event: e,
    status,
    body: (csrf) => (
      <>
        <header class="page-head">
          <p class="eyebrow">Slides and video</p>
          <h1 safe>{session.title}</h1>
          <p safe>{formatSessionWhen(new LocalClock(e.timeZone), session.startsAt, session.endsAt)}</p>
          <p>
            <a href={attrText(paths.session(e.slug, session.code))}>Session page</a> · <a href="/account">Your sessions</a>
          </p>
        </header>
        <section class="account-card" aria-labelledby="current-links">
          <h2 id="current-links">Links on the session page</h2>
          {links.length === 0 ? (
            <p>No links yet.</p>
          ) : (
            <ul class="link-list speaker-links">
              {links.map((l, i) => (
                <li>
                  {safeUrl(l.url) ? (
                    <a href={attrText(safeUrl(l.url)!)} rel="noopener" safe>
                      {l.title || KIND_LABELS[l.kind]}
                    </a>
                  ) : (
                    <span safe>{l.title || KIND_LABELS[l.kind]}</span>
                  )}{' '}
                  {l.title && l.title.toLowerCase() !== (KIND_LABELS[l.kind] ?? l.kind).toLowerCase() ? (
                    <span class="link-kind" safe>{`(${KIND_LABELS[l.kind] ?? l.kind})`}</span>
                  ) : (
                    ''
                  )}{' '}
                  <ButtonForm
                    action={attendeePaths.removeLink(e.slug, session.code, i)}
                    csrf={csrf}
                    label={`Remove ${l.title || KIND_LABELS[l.kind]}`}
                    class="secondary"
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="account-card" aria-labelledby="add-link">
          <h2 id="add-link">Add a link</h2>
          <p>Slides, the video of the talk, code or anything else worth sharing. The session page, the schedule exports and recaps show it.</p>
          <ErrorSummary state={state} labels={{ kind: 'Kind', title: 'Title', url: 'Address' }} />
          <PostForm action={attendeePaths.links(e.slug, session.code)} csrf={csrf}>
            <SelectField name="kind" label="Kind" state={state} options={LINK_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
            <TextField name="title" label="Title" hint="Optional, e.g. “Slides (PDF)”." state={state} />
            <TextField name="url" type="url" label="Address" hint="An https:// or http:// address." state={state} required />
            <button type="submit">Add link</button>
          </PostForm>
        </section>
      </>
    ),
  });
}
