import type { FastifyReply, FastifyRequest } from 'fastify';
import type Html from '@kitajs/html';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import type { SnapshotSource } from '../../modules/agenda/agenda.queries.js';
import type { EventHead } from '../../modules/schedule/snapshot.queries.js';
import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { ScheduleErrors } from '../../modules/schedule/schedule.errors.js';
import { DomainError } from '../../lib/domain-error.js';
import { formStateFromError, type FormState } from '../components/form.js';
import { Page, type EventNav, type LiveMark } from '../layouts/page.js';
import { csrfToken, safeNext, sendPage, takeNotice } from '../private.js';
import { loadPublishedEvent } from '../public/respond.js';

/*
 * What the attendee pages share: the event and snapshot behind a URL (through the public pages'
 * SnapshotCache), the page shell for a signed-in attendee, and small parsing helpers.
 */

/** URLs of the attendee pages, so every page links the same way. */
export const attendeePaths = {
  myAgenda: (slug: string) => `/events/${encodeURIComponent(slug)}/my-agenda`,
  myNotes: (slug: string) => `/events/${encodeURIComponent(slug)}/my-notes`,
  starred: (slug: string) => `/events/${encodeURIComponent(slug)}/my/starred.json`,
  star: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}/star`,
  unstar: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}/unstar`,
  notes: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}/notes`,
  feedback: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}/feedback`,
  links: (slug: string, code: string) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}/links`,
  removeLink: (slug: string, code: string, index: number) => `/events/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(code)}/links/${index}/remove`,
  interest: (slug: string) => `/events/${encodeURIComponent(slug)}/interest.json`,
  feed: (slug: string) => `/events/${encodeURIComponent(slug)}/my-agenda/feed`,
  feedIcs: (slug: string, token: string) => `/events/${encodeURIComponent(slug)}/agenda/${encodeURIComponent(token)}.ics`,
  recaps: (slug: string) => `/events/${encodeURIComponent(slug)}/recaps`,
  recapsAtom: (slug: string) => `/events/${encodeURIComponent(slug)}/recaps.atom`,
  newRecap: (slug: string) => `/events/${encodeURIComponent(slug)}/recaps/new`,
  recap: (slug: string, recapSlug: string) => `/events/${encodeURIComponent(slug)}/recaps/${encodeURIComponent(recapSlug)}`,
  editRecap: (slug: string, id: number) => `/events/${encodeURIComponent(slug)}/recaps/${id}/edit`,
  recapAction: (slug: string, id: number, action: 'publish' | 'unpublish' | 'delete' | 'export.md' | 'export.html') =>
    `/events/${encodeURIComponent(slug)}/recaps/${id}/${action}`,
  now: (slug: string) => `/events/${encodeURIComponent(slug)}/now`,
};

/** The published event behind a URL slug and its current programme. */
export function eventOf(ctx: AppContext, slug: string): Promise<{ head: EventHead; snap: ProgramSnapshot }> {
  return loadPublishedEvent(ctx, slug);
}

/** A session of the programme by its code, or SESSION_NOT_FOUND (404). */
export function sessionOf(snap: ProgramSnapshot, code: string): Session {
  const s = snap.sessionByCode.get(code);
  if (!s) throw ScheduleErrors.sessionNotFound(code);
  return s;
}

/** The agenda actions' snapshot source, sharing the public pages' cache (one read per version). */
export function cachedSnapshots(ctx: AppContext, head: EventHead): SnapshotSource {
  return async (eventId) => (eventId === head.id ? ctx.snapshots.snapshot(head) : undefined);
}

/** A positive integer path parameter, else 0 (which no record has: the action answers 404). */
export function idParam(raw: string): number {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

/** One string field of a form body ('' when absent). */
export function field(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** The form body as a plain record. */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  return request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
}

/** Where to go back to after a star/unstar form: a same-site path, else the fallback. */
export function backTo(body: unknown, fallback: string): string {
  return safeNext(field(body, 'next'), fallback);
}

/** True when a script asked for JSON (fetch with Accept: application/json). */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

/** A failed form: its state and the HTTP status to answer with (the error's, 4xx). */
export function formFailure(err: unknown, submitted: Record<string, unknown>): { state: FormState; status: number } {
  const state = formStateFromError(err, submitted);
  return { state, status: err instanceof DomainError ? err.status : 422 };
}

/**
 * Renders and sends an attendee page: the site layout with the event's navigation, the
 * signed-in person's account menu and the previous POST's notice; `body` gets the page's CSRF
 * token, shared by all its forms.
 */
export function sendAttendeePage(
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  page: {
    title: string;
    event: { slug: string; title: string };
    status?: number;
    scripts?: string[];
    live?: LiveMark;
    body: (csrf: string) => Html.Children;
  },
): FastifyReply {
  const csrf = csrfToken(reply);
  // 'session' marks no item of the event navigation as the current page.
  const eventNav: EventNav = { slug: page.event.slug, title: page.event.title, current: 'session' };
  const html = Page({
    title: `${page.title} · ${page.event.title}`,
    eventNav,
    account: { displayName: actor.displayName, isAdmin: actor.isAdmin, csrf },
    notice: takeNotice(request, reply),
    scripts: page.scripts,
    live: page.live,
    children: page.body(csrf),
  });
  return sendPage(reply, html, page.status ?? 200);
}

/** Gathers `name[0].field`-style form fields into rows, in index order. */
export function gatherRows(body: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const rows = new Map<number, Record<string, unknown>>();
  const pattern = new RegExp(`^${name}\\[(\\d{1,3})\\]\\.([A-Za-z]+)$`);
  for (const [k, v] of Object.entries(body)) {
    const m = pattern.exec(k);
    if (!m) continue;
    const row = rows.get(Number(m[1])) ?? {};
    row[m[2]!] = Array.isArray(v) ? v[0] : v;
    rows.set(Number(m[1]), row);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}
