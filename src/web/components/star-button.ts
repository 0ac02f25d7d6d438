import type { Session } from '../../modules/schedule/snapshot.js';
import { esc } from './html.js';

/*
 * The star buttons on cached public pages (session page, schedule). Those pages are the same for
 * everyone and cannot carry a CSRF token, so without JavaScript a button submits one GET form per
 * page (STAR_FORM_ID, with the page to come back to) to /events/:slug/star?session=CODE, which
 * leads to the private confirm page (/sessions/:code/star) with the real POST form (after sign-in
 * if needed). One shared form instead of a form per session keeps a 480-session day ~130 KiB
 * smaller. With JavaScript, assets/agenda.js reads the person's stars and a token from
 * /my/starred.json and toggles the star in place with fetch.
 */

/** The id of the page's one star form; every star button names it in its `form` attribute. */
export const STAR_FORM_ID = 'star-form';

/** Whether a session can be starred at all (not a break or meal, not cancelled). */
export function starrable(s: Pick<Session, 'kind' | 'status'>, isService: boolean): boolean {
  return !isService && s.status !== 'cancelled';
}

/** The page's star form (no visible content); `back` is the page to return to after starring. */
export function starFormHtml(eventSlug: string, back: string): string {
  return (
    `<form id="${STAR_FORM_ID}" method="get" action="/events/${esc(encodeURIComponent(eventSlug))}/star" data-event="${esc(eventSlug)}">` +
    `<input type="hidden" name="next" value="${esc(back)}"></form>`
  );
}

/**
 * One session's star button as an HTML string (the schedule builds strings on its hot path);
 * compact buttons sit in a list of many, so their accessible name carries the session's title.
 */
export function starButtonHtml(s: Pick<Session, 'code' | 'title'>, compact: boolean): string {
  const name = compact ? `☆ Star<span class="vh"> ${esc(s.title)}</span>` : '☆ Star this session';
  return `<button form="${STAR_FORM_ID}" name="session" value="${esc(s.code)}" class="star-button${compact ? ' star-compact' : ''}">${name}</button>`;
}

/**
 * An empty "N interested" slot for a session, only when the event shows interest counts
 * publicly (a setting that bumps the event version, so cached pages follow it). Stars do not
 * bump the version, so the number itself is never rendered here: assets/interest.js fills the
 * slot from the uncached /events/:slug/interest.json.
 */
export function interestSlotHtml(event: { slug: string; showInterestCounts: boolean }, s: Pick<Session, 'code'>): string {
  if (!event.showInterestCounts) return '';
  return `<span class="interest" data-interest="${esc(s.code)}" data-event="${esc(event.slug)}" hidden></span>`;
}
