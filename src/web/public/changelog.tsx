import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { listReleasesWithChanges, type ReleaseWithChanges } from '../../modules/schedule/release.queries.js';
import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { attrText, paths, plural } from '../components/html.js';
import { ChangeLine, changeDetail, releasedWhen } from '../components/release-bits.js';
import { LocalClock } from '../components/time-format.js';
import { Page } from '../layouts/page.js';
import { changelogAtom } from './changelog-atom.js';
import { loadPublishedEvent, sendEventHtml } from './respond.js';

/*
 * The public changelog of a published event's programme: every release, newest first, with its
 * name, date, public comment and what changed (new, moved from → to, room changed, cancelled,
 * back on the programme, removed, speakers changed). Session titles link to the session pages
 * while the sessions are public. Both answers go through the response cache and change with the
 * event's version (a release bumps it; so does a title edit, titles being live).
 *   GET /events/:slug/changelog        HTML
 *   GET /events/:slug/changelog.atom   Atom 1.0, one entry per release
 */
export async function changelogRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/changelog', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    return sendEventHtml(ctx, request, reply, head, async () => renderChangelogPage(snap, await listReleasesWithChanges(ctx.db, head.id)));
  });

  app.get<{ Params: { slug: string } }>('/events/:slug/changelog.atom', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    return ctx.responses.send(
      request,
      reply,
      { scope: `e${head.id}-changelog-atom`, version: head.version, contentType: 'application/atom+xml; charset=utf-8', lastModified: head.updatedAt },
      async () =>
        changelogAtom({
          baseUrl: ctx.config.baseUrl.replace(/\/$/, ''),
          snap,
          releases: await listReleasesWithChanges(ctx.db, head.id),
          updatedAt: head.updatedAt,
        }),
    );
  });
}

export const changelogPaths = {
  page: (slug: string) => `${paths.event(slug)}/changelog`,
  atom: (slug: string) => `${paths.event(slug)}/changelog.atom`,
  /** The anchor of one release on the changelog page (its number: names may be any text). */
  release: (slug: string, number: number) => `${paths.event(slug)}/changelog#release-${number}`,
};

/** How the changelog names and links a change's session: today's title and page while it is public, else the title it had. */
export function sessionsById(snap: ProgramSnapshot): ReadonlyMap<number, Session> {
  return new Map(snap.sessions.map((s) => [s.id, s]));
}

/** A release's changes longer than this are folded (a first release lists every session). */
const FOLD_AFTER = 20;

export function renderChangelogPage(snap: ProgramSnapshot, releases: readonly ReleaseWithChanges[]): string {
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const sessions = sessionsById(snap);
  const speakerName = (id: number) => snap.speakerById.get(id)?.name ?? 'a speaker no longer listed';
  return Page({
    title: `Changelog · ${e.title}`,
    description: `How the programme of ${e.title} changed, release by release.`,
    eventNav: { slug: e.slug, title: e.title, current: 'schedule' },
    feeds: [{ href: changelogPaths.atom(e.slug), title: `Programme changes of ${e.title}` }],
    children: (
      <>
        <header class="page-head">
          <h1>
            Changelog <span class="page-head-event" safe>{`· ${e.title}`}</span>
          </h1>
          <p>
            Every released version of the <a href={attrText(paths.schedule(e.slug))}>programme</a>, newest first. Times are local to the event (
            <span safe>{e.timeZone}</span>). <a href={attrText(changelogPaths.atom(e.slug))}>Atom feed</a>
          </p>
        </header>
        {releases.length === 0 ? <p class="empty">No version of the programme was released yet.</p> : ''}
        {releases.map((r) => {
          const when = releasedWhen(r.releasedAt, clock);
          const items = r.changes.map((c) => {
            const now = sessions.get(c.sessionId);
            return (
              <li>
                <ChangeLine
                  change={c}
                  title={now?.title ?? c.title}
                  href={now ? paths.session(e.slug, now.code) : undefined}
                  detail={changeDetail(c, clock, speakerName)}
                />
              </li>
            );
          });
          return (
            <section class="release" aria-labelledby={`release-${r.number}`}>
              <h2 id={`release-${r.number}`} safe>
                {`Version ${r.name}`}
              </h2>
              <p class="hint">
                Released{' '}
                <time datetime={when.datetime} safe>
                  {when.text}
                </time>
                <span safe>{` · ${plural(r.changes.length, 'change')}${e.release === r.name ? ' · the version shown now' : ''}`}</span>
              </p>
              {r.comment ? (
                <p class="release-comment" safe>
                  {r.comment}
                </p>
              ) : (
                ''
              )}
              {items.length === 0 ? (
                <p>No session changed in this version.</p>
              ) : items.length > FOLD_AFTER ? (
                <details>
                  <summary safe>{`Show the ${items.length} changes`}</summary>
                  <ul class="release-changes">{items}</ul>
                </details>
              ) : (
                <ul class="release-changes">{items}</ul>
              )}
            </section>
          );
        })}
      </>
    ),
  });
}
