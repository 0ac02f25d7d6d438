import type { Session } from '../../modules/schedule/snapshot.js';
import { esc } from './html.js';

/*
 * The star button on cached public pages (session page, schedule rows). Those pages are the same
 * for everyone and cannot carry a CSRF token, so without JavaScript the button is a GET form to
 * the private confirm page (/sessions/:code/star), which shows the real POST form with a token
 * (after sign-in if needed) and comes back here. With JavaScript, assets/agenda.js reads the
 * person's stars and a token from /my/starred.json and toggles the star in place with fetch.
 */

/** Whether a session can be starred at all (not a break or meal, not cancelled). */
export function starrable(s: Pick<Session, 'kind' | 'status'>, isService: boolean): boolean {
  return !isService && s.status !== 'cancelled';
}

/**
 * The GET form as an HTML string (the schedule builds strings on its hot path). `back` is the
 * page to return to after starring; `label` the session's title for screen readers when the
 * button sits in a list of many.
 */
export function starFormHtml(eventSlug: string, s: Pick<Session, 'code' | 'title'>, back: string, compact: boolean): string {
  const name = compact ? `☆ Star<span class="vh"> ${esc(s.title)}</span>` : '☆ Star this session';
  return (
    `<form method="get" action="/events/${esc(encodeURIComponent(eventSlug))}/sessions/${esc(encodeURIComponent(s.code))}/star" class="star-form${compact ? ' star-compact' : ''}" data-star="${esc(s.code)}" data-event="${esc(eventSlug)}">` +
    `<input type="hidden" name="next" value="${esc(back)}">` +
    `<button type="submit" class="star-button">${name}</button></form>`
  );
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
