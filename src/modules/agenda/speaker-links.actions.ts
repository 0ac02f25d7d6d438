import type { Actor } from '../accounts/actor.js';
import type { LINK_KINDS } from '../program/session.js';
import type { LinkRecord } from '../program/records.js';
import { ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { EventErrors } from '../events/event.errors.js';
import { canEditSessionLinks } from './agenda.policy.js';
import { loadDraftSession } from './agenda.queries.js';
import { SpeakerLinkSchema } from './agenda.schemas.js';
import { ANYONE, withEventWrite } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

/*
 * Slides and video after the talk: a speaker (a speaker profile of the session linked to their
 * account) adds links to their own session without back-office rights; organizers and the
 * session's track managers may too (they can also edit every link with updateSession).
 * Each change bumps the event version (public pages, API, exports and recaps refresh) and the
 * session's sequence, like any other session change, and is audited.
 */

/**
 * Appends a link (slides, video, recording, code, website, other) to a session; the same URL
 * twice is kept once. Returns the session's links in order.
 * @throws NOT_FOUND (404: event), SESSION_NOT_FOUND (404), FORBIDDEN (403: not a speaker of
 *   this session nor an organizer), VALIDATION_FAILED (422: kind, title ≤ 200, http(s) url).
 */
export async function addSessionLink(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number, input: unknown): Promise<LinkRecord[]> {
  const link = parseInput(SpeakerLinkSchema, input);
  return withEventWrite(ctx, actor, eventId, ANYONE /* the session's speakers or organizers: checked below */, async ({ trx, event, now, audit }) => {
    const session = await loadDraftSession(trx, eventId, sessionId);
    ensureAllowed(canEditSessionLinks(actor, scopeOf(event), session), "add links to someone else's session");
    const links = await linksOf(trx, sessionId);
    if (links.some((l) => l.url === link.url)) return links;
    const title = link.title.trim() || LINK_KINDS_LABEL[link.kind];
    await trx.insertInto('session_links').values({ session_id: sessionId, kind: link.kind, title, url: link.url, position: links.length }).execute();
    await touchSession(trx, sessionId, now);
    audit({ action: 'session.link_added', entityType: 'session', entityId: sessionId, summary: `Added ${link.kind} link to "${session.title}": ${link.url}` });
    return linksOf(trx, sessionId);
  });
}

/**
 * Removes the link at `index` (0-based, as listed) from a session. Returns the links left.
 * @throws NOT_FOUND (404: event, or no link at index), SESSION_NOT_FOUND (404), FORBIDDEN (403).
 */
export async function removeSessionLink(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number, index: number): Promise<LinkRecord[]> {
  return withEventWrite(ctx, actor, eventId, ANYONE /* the session's speakers or organizers: checked below */, async ({ trx, event, now, audit }) => {
    const session = await loadDraftSession(trx, eventId, sessionId);
    ensureAllowed(canEditSessionLinks(actor, scopeOf(event), session), "change the links of someone else's session");
    const rows = await trx.selectFrom('session_links').select(['id', 'url']).where('session_id', '=', sessionId).orderBy('position').orderBy('id').execute();
    const target = rows[index];
    if (!target) throw EventErrors.notFound('link', index);
    await trx.deleteFrom('session_links').where('id', '=', target.id).execute();
    const rest = rows.filter((r) => r.id !== target.id);
    for (const [position, r] of rest.entries()) await trx.updateTable('session_links').set({ position }).where('id', '=', r.id).execute();
    await touchSession(trx, sessionId, now);
    audit({ action: 'session.link_removed', entityType: 'session', entityId: sessionId, summary: `Removed link from "${session.title}": ${target.url}` });
    return linksOf(trx, sessionId);
  });
}

const LINK_KINDS_LABEL: Record<(typeof LINK_KINDS)[number], string> = {
  slides: 'Slides',
  video: 'Video',
  recording: 'Recording',
  code: 'Code',
  website: 'Website',
  other: 'Link',
};

async function linksOf(trx: Trx, sessionId: number): Promise<LinkRecord[]> {
  const rows = await trx
    .selectFrom('session_links')
    .select(['kind', 'title', 'url'])
    .where('session_id', '=', sessionId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ kind: r.kind as LinkRecord['kind'], title: r.title, url: r.url }));
}

async function touchSession(trx: Trx, sessionId: number, now: string): Promise<void> {
  await trx
    .updateTable('sessions')
    .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: now }))
    .where('id', '=', sessionId)
    .execute();
}
