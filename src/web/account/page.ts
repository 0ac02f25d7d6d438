import type { FastifyReply, FastifyRequest } from 'fastify';
import type Html from '@kitajs/html';
import { SESSION_COOKIE, sessionCookieOptions } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { newSecret } from '../../lib/secrets.js';
import type { KnownDevice } from '../../modules/accounts/account.actions.js';
import { formStateFromError, type FormState } from '../components/form.js';
import { Page } from '../layouts/page.js';
import { csrfToken, sendPage, takeNotice } from '../private.js';

/*
 * The shell every account page shares: the site layout with the signed-in person's navigation
 * (or the "Account" link when nobody is), the one-line notice left by the previous POST, and one
 * CSRF token for every form on the page. Plus the session cookie's set/clear, used by every
 * page that signs someone in or out.
 */

/**
 * Sent with every response that signs someone in or out, so the next person on a shared browser
 * never opens the previous person's pages offline: "storage" empties the origin's Cache API (the
 * service worker's saved pages, my agenda among them), unregisters the worker (the next page
 * registers it again) and clears localStorage/IndexedDB, which Hallway does not use (notes are
 * saved to the server as you type). Chromium's "cache" only clears the HTTP cache, where private
 * pages never are (no-store), and leaves the Cache API alone; cookies are ours to set, so not
 * "cookies". Browsers honour it only in secure contexts, the same ones that run service workers.
 */
const CLEAR_SITE_DATA = '"storage"';

/** What a page body gets: the CSRF token its forms carry. */
export interface PageParts {
  readonly csrf: string;
}

/**
 * Renders and sends an account page. `body` is called with the page's CSRF token, so the forms
 * and the header's sign-out button share one.
 */
export function sendAccountPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; status?: number; body: (parts: PageParts) => Html.Children },
): FastifyReply {
  return sendPage(reply, renderAccountPage(request, reply, page), page.status ?? 200);
}

/** The account page as HTML, for a caller that sends it itself (a form's re-render after a refusal). */
export function renderAccountPage(request: FastifyRequest, reply: FastifyReply, page: { title: string; body: (parts: PageParts) => Html.Children }): string {
  const csrf = csrfToken(reply);
  const actor = request.actor;
  return Page({
    title: page.title,
    account: actor ? { displayName: actor.displayName, isAdmin: actor.isAdmin, csrf } : undefined,
    notice: takeNotice(request, reply),
    mainClass: 'account-main',
    children: page.body({ csrf }),
  });
}

/** Starts the browser's sign-in session (httpOnly, SameSite=Lax, Secure on https) and clears what the previous person left (CLEAR_SITE_DATA). */
export function setSessionCookie(ctx: AppContext, reply: FastifyReply, cookieSecret: string): void {
  reply.setCookie(SESSION_COOKIE, cookieSecret, sessionCookieOptions(ctx));
  reply.header('Clear-Site-Data', CLEAR_SITE_DATA);
}

/** Removes the session cookie and the offline pages from the browser (the server side is ended by the caller). */
export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  const { maxAge: _ignored, ...options } = sessionCookieOptions(ctx);
  reply.clearCookie(SESSION_COOKIE, options);
  reply.header('Clear-Site-Data', CLEAR_SITE_DATA);
}

/**
 * The device cookie (OWASP "device cookies"): set after a successful password sign-in, signed
 * with the instance secret, naming the account and a random id for this browser, kept a year.
 * With it, the account's password still works here while unknown devices are throttled (signIn).
 */
const DEVICE_COOKIE = 'hallway_device';
const DEVICE_COOKIE_DAYS = 365;

/** The account and device id in the browser's device cookie, when it carries a valid one. */
export function knownDevice(request: FastifyRequest): KnownDevice | null {
  const raw = request.cookies[DEVICE_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  const m = unsigned.valid && unsigned.value ? /^(\d{1,12})\.([\w-]{20,100})$/.exec(unsigned.value) : null;
  return m ? { userId: Number(m[1]), id: m[2]! } : null;
}

/** Marks this browser as one where `userId` signed in (keeping its id when it already was). */
export function setDeviceCookie(ctx: AppContext, reply: FastifyReply, userId: number, device: KnownDevice | null): void {
  const id = device?.userId === userId ? device.id : newSecret();
  const { maxAge: _session, ...options } = sessionCookieOptions(ctx);
  reply.setCookie(DEVICE_COOKIE, `${userId}.${id}`, { ...options, signed: true, maxAge: DEVICE_COOKIE_DAYS * 86_400 });
}

/** The session cookie's secret, when the browser sent one. */
export function sessionSecret(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE] || undefined;
}

/** The browser's User-Agent, kept with a session so the person can recognise it. */
export function userAgent(request: FastifyRequest): string {
  return String(request.headers['user-agent'] ?? '');
}

/** A string field of a urlencoded form body ('' when absent or repeated oddly). */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** A query-string parameter as one string ('' when absent). */
export function queryParam(request: FastifyRequest, name: string): string {
  return field(request.query, name);
}

/**
 * The form state and HTTP status for a failed action: field messages from the DomainError's
 * problems, its message on top, and its status (422 invalid input, 401 sign-in failed, 410
 * expired link …). Anything that is not a DomainError is rethrown (a bug: the 500 page).
 */
export function formFailure(err: unknown, submitted: Record<string, unknown>): { state: FormState; status: number } {
  const state = formStateFromError(err, submitted);
  return { state, status: err instanceof DomainError ? err.status : 422 };
}

/** The form state of a rate-limited POST: what was typed (never passwords) and the "too many attempts" message. */
export function limitedState(request: FastifyRequest, err: DomainError): FormState {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return formStateFromError(err, body);
}
