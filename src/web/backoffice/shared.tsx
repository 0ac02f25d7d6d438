import type Html from '@kitajs/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { AccountErrors } from '../../modules/accounts/account.errors.js';
import { canViewAuditLog } from '../../modules/accounts/account.policy.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import { getEventForEditing, type EventForEditing } from '../../modules/program/backoffice.queries.js';
import { formStateFromError, type FormState } from '../components/form.js';
import { cx } from '../components/html.js';
import { Page } from '../layouts/page.js';
import { csrfToken, redirectWithNotice, sendPage, signedInActor, takeNotice } from '../private.js';

/*
 * What every back-office page shares: who is asking (with a CSRF token for the page's forms and
 * the notice left by the previous post), the event being edited, the layout with the event's
 * back-office navigation, and the two ways a post ends (redirect with a notice, or the form again
 * with the typed values and the problems). Permissions are decided by the actions and policies;
 * a 403 or 404 DomainError is left to the app's error handler, which renders the error page.
 */

/** A signed-in request being answered: the actor, a CSRF token for this page's forms, the notice. */
export interface BoContext {
  readonly actor: Actor;
  readonly csrf: string;
  readonly notice?: string;
}

/**
 * The signed-in actor with the page's CSRF token and notice, or null after redirecting to sign in.
 * The back office needs a confirmed address: EMAIL_NOT_VERIFIED (403) says how to confirm it.
 */
export function boContext(request: FastifyRequest, reply: FastifyReply): BoContext | null {
  const actor = signedInActor(request, reply);
  if (!actor) return null;
  if (!actor.emailVerified) throw AccountErrors.emailNotVerified();
  return { actor, csrf: csrfToken(reply), notice: takeNotice(request, reply) };
}

/** A positive integer id from the URL, or 404 (a malformed id is as unknown as a missing one). */
export function idParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  if (n <= 0) throw EventErrors.notFound(name.replace(/Id$/, ''), raw);
  return n;
}

/** The posted form fields (an empty object for an empty body). */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? { ...(b as Record<string, unknown>) } : {};
}

/** The query string as an object. */
export function queryOf(request: FastifyRequest): Record<string, string> {
  const q = request.query as Record<string, unknown> | undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Gathers flat form fields of repeated rows (`links[0].url`, `links[0].kind`, `links[1].url`)
 * into an array under `name`, in index order. Other fields are left as they are.
 */
export function gatherRows(body: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const rows = new Map<number, Record<string, unknown>>();
  const pattern = new RegExp(`^${name}\\[(\\d{1,3})\\]\\.([A-Za-z]+)$`);
  for (const [k, v] of Object.entries(body)) {
    const m = pattern.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const row = rows.get(i) ?? {};
    row[m[2]!] = Array.isArray(v) ? v[0] : v;
    rows.set(i, row);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/** A list field posted as repeated values ("3", ["3","5"]) as an array of numbers. */
export function idsOf(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
  return list.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);
}

/** Loads the event for a back-office page (403/404 from the query) and checks the page's permission. */
export async function loadEvent(ctx: AppContext, bo: BoContext, eventId: number, need: 'view' | 'manage' | 'audit' = 'view'): Promise<EventForEditing> {
  const ed = await getEventForEditing(ctx.db, bo.actor, eventId);
  if (need === 'manage' && !ed.permissions.manageEvent) throw EventErrors.forbidden('change the settings of this event');
  if (need === 'audit' && !canViewAuditLog(bo.actor, { eventId: ed.event.id, communityId: ed.event.communityId }))
    throw EventErrors.forbidden('see the audit log of this event');
  return ed;
}

/** Back-office URL helpers, so every page links the same way. */
export const bo = {
  home: () => '/manage',
  newCommunity: () => '/manage/communities/new',
  community: (id: number) => `/manage/communities/${id}`,
  newEvent: (communityId?: number) => `/manage/events/new${communityId ? `?communityId=${communityId}` : ''}`,
  event: (id: number, sub = '') => `/manage/events/${id}${sub ? `/${sub}` : ''}`,
};

export type EventSection =
  | 'overview'
  | 'edit'
  | 'rooms'
  | 'tracks'
  | 'sessions'
  | 'schedule'
  | 'releases'
  | 'speakers'
  | 'sponsors'
  | 'hosts'
  | 'team'
  | 'registration'
  | 'checkin'
  | 'cfp'
  | 'proposals'
  | 'interest'
  | 'webhooks'
  | 'audit';

const SECTIONS: ReadonlyArray<{ key: EventSection; label: string; path: string; manage: boolean }> = [
  { key: 'overview', label: 'Overview', path: '', manage: false },
  { key: 'edit', label: 'Settings', path: 'edit', manage: true },
  { key: 'rooms', label: 'Rooms', path: 'rooms', manage: true },
  { key: 'tracks', label: 'Tracks', path: 'tracks', manage: true },
  { key: 'sessions', label: 'Sessions', path: 'sessions', manage: false },
  { key: 'schedule', label: 'Schedule editor', path: 'schedule', manage: false },
  { key: 'releases', label: 'Releases', path: 'releases', manage: true },
  { key: 'speakers', label: 'Speakers', path: 'speakers', manage: false },
  { key: 'sponsors', label: 'Sponsors', path: 'sponsors', manage: true },
  { key: 'hosts', label: 'Hosts', path: 'hosts', manage: true },
  { key: 'team', label: 'Team', path: 'team', manage: true },
  // Served by src/web/registration/ (its own layout); listed here so organizers find them.
  { key: 'registration', label: 'Registration', path: 'registration', manage: true },
  { key: 'checkin', label: 'Check-in', path: 'checkin', manage: false },
  { key: 'cfp', label: 'Call for proposals', path: 'cfp', manage: true },
  { key: 'proposals', label: 'Proposals', path: 'proposals', manage: false },
  { key: 'interest', label: 'Interest', path: 'interest', manage: false },
  { key: 'webhooks', label: 'Webhooks', path: 'webhooks', manage: true },
  { key: 'audit', label: 'Audit log', path: 'audit', manage: true },
];

/**
 * What the tabs and breadcrumb need of an event. `reviewerOnly`: the person may review its
 * proposals but not open the rest of its back office (a reviewer), so only that tab shows.
 */
export type EventNav = Pick<EventForEditing, 'event' | 'permissions'> & { readonly reviewerOnly?: boolean };

/** The back-office tabs of one event; settings tabs only for those who may manage it. */
function EventTabs(p: { ed: EventNav; current: EventSection }): JSX.Element {
  const shown = p.ed.reviewerOnly ? SECTIONS.filter((s) => s.key === 'proposals') : SECTIONS.filter((s) => !s.manage || p.ed.permissions.manageEvent);
  return (
    <nav class="bo-tabs" aria-label="Event back office">
      <ul>
        {shown.map((s) => (
          <li>
            <a href={bo.event(p.ed.event.id, s.path)} aria-current={s.key === p.current ? 'page' : undefined} safe>
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface BoPageProps {
  title: string;
  /** The event the page belongs to: adds the breadcrumb, the heading's context and the tabs. */
  event?: { ed: EventNav; section: EventSection };
  /** Use the whole window's width (the schedule editor's grid). */
  wide?: boolean;
  /** Same-origin scripts and extra stylesheets of the page (it must work without the scripts). */
  scripts?: readonly string[];
  styles?: readonly string[];
  /** Without JavaScript, reload every this many seconds (a status page). */
  refreshSeconds?: number;
  children: Html.Children;
}

/** Renders a back-office page in the site layout, with the account menu and the notice. */
export function boPage(c: BoContext, p: BoPageProps): string {
  const ev = p.event;
  return Page({
    title: ev ? `${p.title} · ${ev.ed.event.title}` : p.title,
    account: { displayName: c.actor.displayName, isAdmin: c.actor.isAdmin, csrf: c.csrf },
    notice: c.notice,
    mainClass: p.wide ? 'bo wide' : 'bo',
    scripts: p.scripts,
    styles: p.styles,
    refreshSeconds: p.refreshSeconds,
    children: (
      <>
        <nav class="bo-crumbs" aria-label="Breadcrumb">
          <ol>
            <li>
              <a href={bo.home()}>Back office</a>
            </li>
            {ev && !ev.ed.reviewerOnly ? (
              <li>
                <a href={bo.event(ev.ed.event.id)} safe>
                  {ev.ed.event.title}
                </a>
              </li>
            ) : (
              ''
            )}
          </ol>
        </nav>
        {ev ? <EventTabs ed={ev.ed} current={ev.section} /> : ''}
        {p.children}
      </>
    ),
  });
}

/** A refused one-button action (delete, publish…) shown above the list it belongs to. */
export function ActionError(p: { error?: DomainError }): JSX.Element {
  if (!p.error) return '';
  return (
    <div class="error-summary" role="alert" tabindex="-1">
      <p safe>{p.error.message}</p>
      {p.error.problems.length ? (
        <ul>
          {p.error.problems.map((pr) => (
            <li safe>{pr.message}</li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </div>
  );
}

/** 403 and 404 go to the error page; other refusals (validation, conflicts) back to the form. */
function isPageError(err: unknown): boolean {
  return !(err instanceof DomainError) || err.status === 403 || err.status === 404 || err.status >= 500;
}

/**
 * Runs a form's action: on success a 303 to `done(result).to` with its notice; on a refusal the
 * form again (`rerender`) with the typed values and each problem next to its field, answered
 * with the error's status (422, 409). Nothing is written on a refusal (actions are transactional).
 */
export async function submitForm<T>(
  reply: FastifyReply,
  submitted: Record<string, unknown>,
  action: () => Promise<T>,
  done: (result: T) => { to: string; notice: string },
  rerender: (state: FormState) => Promise<string> | string,
): Promise<FastifyReply> {
  let result: T;
  try {
    result = await action();
  } catch (err) {
    if (isPageError(err)) throw err;
    return sendPage(reply, await rerender(formStateFromError(err, submitted)), (err as DomainError).status);
  }
  const d = done(result);
  return redirectWithNotice(reply, d.to, d.notice);
}

/**
 * Runs a one-button action (delete, move, publish, cancel): 303 with a notice, or the page it
 * came from again with the refusal explained (ROOM_IN_USE, EVENT_TRANSITION_INVALID…).
 */
export async function buttonAction(
  reply: FastifyReply,
  action: () => Promise<unknown>,
  done: { to: string; notice: string },
  rerender: (error: DomainError) => Promise<string> | string,
): Promise<FastifyReply> {
  try {
    await action();
  } catch (err) {
    if (isPageError(err)) throw err;
    return sendPage(reply, await rerender(err as DomainError), (err as DomainError).status);
  }
  return redirectWithNotice(reply, done.to, done.notice);
}

/** Moves problems reported for one input name onto the field that shows it (`start` → `time`). */
export function remapErrors(state: FormState, map: Record<string, string>): FormState {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(state.errors)) {
    const base = path.replace(/\[\d+\]$/, '');
    const target = map[path] ?? map[base] ?? path;
    if (!(target in errors)) errors[target] = message;
  }
  return { ...state, errors };
}

/**
 * A back-office list as a table: a caption for screen readers, one column header each, and the
 * rows given as children; `empty` is shown instead of a table with no rows.
 */
export function DataTable(p: { caption: string; headers: readonly string[]; empty: string; children: JSX.Element[] }): JSX.Element {
  const rows = p.children;
  if (rows.length === 0) return <p safe>{p.empty}</p>;
  return (
    <div class="bo-table-wrap">
      <table class="data-table">
        <caption class="vh" safe>
          {p.caption}
        </caption>
        <thead>
          <tr>
            {p.headers.map((h) => (
              <th scope="col" safe>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </div>
  );
}

/** A small label/value list for summaries. */
export function Facts(p: { items: ReadonlyArray<readonly [string, string]> }): JSX.Element {
  return (
    <dl class="bo-facts">
      {p.items.map(([k, v]) => (
        <div>
          <dt safe>{k}</dt>
          <dd safe>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Status badge of an event or session. */
export function StateBadge(p: { state: string }): JSX.Element {
  return (
    <span class={cx('badge', 'bo-state', `bo-state-${p.state}`)} safe>
      {p.state}
    </span>
  );
}
