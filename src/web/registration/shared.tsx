import type Html from '@kitajs/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { EventRow } from '../../modules/events/event.table.js';
import { findEventRow } from '../../modules/registration/registration-pages.queries.js';
import { canViewBackOffice } from '../../modules/accounts/account.policy.js';
import { canManageRegistration } from '../../modules/registration/registration.policy.js';
import type { WindowState } from '../../modules/registration/registration.js';
import { readRegistrationState } from '../../modules/registration/registration-state.queries.js';
import { RegistrationErrors } from '../../modules/registration/registration.errors.js';
import type { EventSpan, RegistrationContext, RegistrationSettings } from '../../modules/registration/rsvp.queries.js';
import { formStateFromError, type FormState } from '../components/form.js';
import { Page } from '../layouts/page.js';
import { csrfToken, sendPage, takeNotice } from '../private.js';

/*
 * What the registration pages share: their URLs, the event behind a slug or id with its
 * registration settings (defaults before the first RSVP), form-body helpers, and the page shells
 * (attendee pages with the event's navigation; organizer pages with back-office breadcrumbs).
 */

const e = (s: string) => encodeURIComponent(s);

/** URLs of the registration pages, so every page links the same way. */
export const regPaths = {
  rsvp: (slug: string) => `/events/${e(slug)}/rsvp`,
  rsvpCancel: (slug: string) => `/events/${e(slug)}/rsvp/cancel`,
  counts: (slug: string) => `/events/${e(slug)}/rsvp/counts.json`,
  ticket: (slug: string) => `/events/${e(slug)}/ticket`,
  ticketIcs: (slug: string) => `/events/${e(slug)}/ticket.ics`,
  signup: (slug: string, code: string) => `/events/${e(slug)}/sessions/${e(code)}/signup`,
  signupCancel: (slug: string, code: string) => `/events/${e(slug)}/sessions/${e(code)}/signup/cancel`,
  manageLink: (token: string) => `/rsvp/manage?token=${e(token)}`,
  manageLinkPost: () => '/rsvp/manage',
  manageLinkCancel: () => '/rsvp/manage/cancel',
  registration: (eventId: number, sub = '') => `/manage/events/${eventId}/registration${sub ? `/${sub}` : ''}`,
  checkin: (eventId: number, sub = '') => `/manage/events/${eventId}/checkin${sub ? `/${sub}` : ''}`,
};

/** An event with what the registration pages need to describe it. */
export interface RegEvent {
  readonly row: EventRow;
  readonly settings: RegistrationSettings;
  readonly span: EventSpan;
  readonly window: WindowState;
  readonly now: string;
}

async function regEvent(ctx: AppContext, rctx: RegistrationContext, row: EventRow): Promise<RegEvent> {
  const { settings, span, now, window } = await readRegistrationState(ctx.db, rctx, row);
  return { row, settings, span, now, window };
}

/** The published event behind a slug. @throws EVENT_NOT_FOUND (404; drafts too). */
export async function publishedRegEvent(ctx: AppContext, rctx: RegistrationContext, slug: string): Promise<RegEvent> {
  const head = await ctx.snapshots.publishedHead(slug);
  const row = await findEventRow(ctx.db, head.id);
  if (row?.published !== 1) throw RegistrationErrors.eventNotFound(slug);
  return regEvent(ctx, rctx, row);
}

/** Any event by id (drafts included): organizer pages check permissions with the policies. @throws NOT_FOUND. */
export async function regEventById(ctx: AppContext, rctx: RegistrationContext, eventId: number): Promise<RegEvent> {
  const row = eventId > 0 ? await findEventRow(ctx.db, eventId) : undefined;
  if (!row) throw EventErrors.notFound('event', eventId);
  return regEvent(ctx, rctx, row);
}

/** The event's scope for the policies. */
export function scopeOfRow(row: EventRow): { eventId: number; communityId: number } {
  return { eventId: row.id, communityId: row.community_id };
}

/** A positive integer path parameter, else 0 (which no record has: the action answers 404). */
export function idParam(raw: string | undefined): number {
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

/** The form body as a plain record. */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? { ...(b as Record<string, unknown>) } : {};
}

/** One string field of a form body ('' when absent). */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/**
 * A refused form: its state and the HTTP status (the error's). 404s, 403s about permissions and
 * anything unexpected are rethrown to the app's error page.
 */
export function formFailure(err: unknown, submitted: Record<string, unknown>): { state: FormState; status: number } {
  if (!(err instanceof DomainError) || err.status === 404 || err.code === 'FORBIDDEN' || err.code === 'CSRF_INVALID') throw err;
  return { state: formStateFromError(err, submitted), status: err.status };
}

/** The extra stylesheet of the registration pages. */
export const REG_STYLES = ['/assets/registration.css'];

/** Sends an attendee page: the event navigation, the account menu (when signed in) and the notice. */
export function sendRegPage(
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor | null,
  page: { title: string; event: { slug: string; title: string }; status?: number; scripts?: string[]; body: (csrf: string) => Html.Children },
): FastifyReply {
  const csrf = csrfToken(reply);
  const html = Page({
    title: `${page.title} · ${page.event.title}`,
    eventNav: { slug: page.event.slug, title: page.event.title, current: 'session' },
    account: actor ? { displayName: actor.displayName, isAdmin: actor.isAdmin, csrf } : undefined,
    notice: takeNotice(request, reply),
    styles: REG_STYLES,
    scripts: page.scripts,
    children: page.body(csrf),
  });
  return sendPage(reply, html, page.status ?? 200);
}

/**
 * Sends an organizer page (registration or check-in) with back-office breadcrumbs. A check-in
 * volunteer gets only the links they may follow: no event overview, no registration tab.
 */
export function sendOrgPage(
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  page: { title: string; event: EventRow; status?: number; scripts?: string[]; mainClass?: string; body: (csrf: string) => Html.Children },
): FastifyReply {
  const csrf = csrfToken(reply);
  const ev = page.event;
  const scope = scopeOfRow(ev);
  const html = Page({
    title: `${page.title} · ${ev.title}`,
    account: { displayName: actor.displayName, isAdmin: actor.isAdmin, csrf },
    notice: takeNotice(request, reply),
    mainClass: page.mainClass ?? 'bo',
    styles: REG_STYLES,
    scripts: page.scripts,
    children: (
      <>
        <nav class="bo-crumbs" aria-label="Breadcrumb">
          <ol>
            <li>
              <a href="/manage">Back office</a>
            </li>
            {canViewBackOffice(actor, scope) ? (
              <li>
                <a href={`/manage/events/${ev.id}`} safe>
                  {ev.title}
                </a>
              </li>
            ) : (
              ''
            )}
          </ol>
        </nav>
        <nav class="reg-tabs" aria-label="Registration">
          <ul>
            {canManageRegistration(actor, scope) ? (
              <li>
                <a href={regPaths.registration(ev.id)} aria-current={page.title === 'Registration' ? 'page' : undefined}>
                  Registration
                </a>
              </li>
            ) : (
              ''
            )}
            <li>
              <a href={regPaths.checkin(ev.id)} aria-current={page.title === 'Check-in' ? 'page' : undefined}>
                Check-in
              </a>
            </li>
          </ul>
        </nav>
        {page.body(csrf)}
      </>
    ),
  });
  return sendPage(reply, html, page.status ?? 200);
}
