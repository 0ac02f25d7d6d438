import { SERVICE_KINDS, SESSION_KIND_LABELS, type SessionKind } from '../../modules/program/session.js';
import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { esc, paths, safeUrl } from './html.js';
import type { LocalTime } from './time-format.js';
import { trackClass } from './stylesheets.js';

/**
 * HTML fragments of one programme item, shared by the grid, the list and the meetup agenda.
 * Hand-built strings (hot path: a FOSDEM day has ~450 items); every data value is escaped here.
 */

/** Human label of a kind; an unknown stored kind is shown as its own (escaped) name. */
export function kindLabel(kind: string): string {
  return (SESSION_KIND_LABELS as Record<string, string | undefined>)[kind] ?? kind;
}

/** A CSS-safe kind class (k-talk, k-break, ...). */
export function kindClass(kind: string): string {
  return kind in SESSION_KIND_LABELS ? `k-${kind}` : 'k-other';
}

export function isService(s: Pick<Session, 'kind'>): boolean {
  return SERVICE_KINDS.has(s.kind as SessionKind);
}

export function isCancelled(s: Pick<Session, 'status'>): boolean {
  return s.status === 'cancelled';
}

/** Service items link to their page only when it has something to say. */
export function hasOwnPage(s: Session): boolean {
  return !isService(s) || s.abstract.trim() !== '' || s.links.length > 0;
}

/** The classes every rendering of an item carries: kind, track colour, service, cancelled. */
export function itemClasses(snap: ProgramSnapshot, s: Session): string {
  let c = kindClass(s.kind);
  if (isService(s)) c += ' svc';
  if (isCancelled(s)) c += ' is-cancelled';
  const track = s.trackId === null ? undefined : snap.trackById.get(s.trackId);
  if (track) c += ` ${trackClass(track)} has-track`;
  return c;
}

/** `<time>09:15</time>–<time>10:00</time>` */
export function timeRangeHtml(a: LocalTime, b: LocalTime): string {
  return `<time datetime="${a.datetime}">${a.hhmm}</time>–<time datetime="${b.datetime}">${b.hhmm}</time>`;
}

/** The title, linked to the session page when it has one, struck through when cancelled. */
export function titleHtml(snap: ProgramSnapshot, s: Session): string {
  const text = esc(s.title);
  const inner = hasOwnPage(s) ? `<a href="${esc(paths.session(snap.event.slug, s.code))}">${text}</a>` : text;
  return isCancelled(s) ? `<s>${inner}</s>` : inner;
}

/** Speaker names, plain ("Ada Example, Grace Sample") or linked to their pages. */
export function speakersHtml(snap: ProgramSnapshot, s: Session, linked: boolean): string {
  if (s.speakerIds.length === 0) return '';
  const out: string[] = [];
  for (const id of s.speakerIds) {
    const sp = snap.speakerById.get(id);
    if (!sp) continue;
    out.push(linked ? `<a href="${esc(paths.speaker(snap.event.slug, sp.code))}">${esc(sp.name)}</a>` : esc(sp.name));
  }
  return out.join(', ');
}

/** Kind badge, plus "Cancelled" when it is. */
export function badgesHtml(s: Session): string {
  const kind = `<span class="badge ${kindClass(s.kind)}">${esc(kindLabel(s.kind))}</span>`;
  return isCancelled(s) ? `${kind} <span class="badge badge-cancelled">Cancelled</span>` : kind;
}

/** The track name with its colour dot, or ''. */
export function trackHtml(snap: ProgramSnapshot, s: Session): string {
  const track = s.trackId === null ? undefined : snap.trackById.get(s.trackId);
  return track ? `<span class="track"><span class="dot" aria-hidden="true"></span>${esc(track.name)}</span>` : '';
}

/** "thanks to Coffee Corp" (service items) or "Sponsored by Coffee Corp", linked when it has a URL. */
export function sponsorHtml(snap: ProgramSnapshot, s: Session): string {
  const sponsor = s.sponsorId === null ? undefined : snap.sponsorById.get(s.sponsorId);
  if (!sponsor) return '';
  const url = safeUrl(sponsor.url);
  const name = url ? `<a href="${esc(url)}" rel="noopener">${esc(sponsor.name)}</a>` : esc(sponsor.name);
  return isService(s) ? `thanks to ${name}` : `Sponsored by ${name}`;
}

/** The room's name, or undefined for an item without one (a break for everyone). */
export function roomName(snap: ProgramSnapshot, s: Session): string | undefined {
  return s.roomId === null ? undefined : snap.roomById.get(s.roomId)?.name;
}
