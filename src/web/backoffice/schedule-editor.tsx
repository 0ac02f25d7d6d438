import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { canManageEvent } from '../../modules/accounts/account.policy.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import { createBlocker, deleteBlocker } from '../../modules/planning/blocker.actions.js';
import { currentVersion, editableEvent, loadEditorState, minutesInto, type EditorSession, type EditorState } from '../../modules/planning/editor.queries.js';
import { applyScheduleMove } from '../../modules/planning/move.actions.js';
import { staleCurrent } from '../../modules/planning/planning.errors.js';
import { WARNING_LABELS, type ScheduleWarning } from '../../modules/planning/warnings.js';
import { SERVICE_KINDS, SESSION_KIND_LABELS, type SessionKind } from '../../modules/program/session.js';
import { PostForm, SelectField, TextField, formState, type FormState, type Option } from '../components/form.js';
import { attrText, esc } from '../components/html.js';
import { GRID_CSS_URL, GRID_MAX_ROOMS, GRID_MAX_ROWS } from '../components/stylesheets.js';
import { formatDayMedium, formatDayShort } from '../components/time-format.js';
import { redirectWithNotice, sendPage } from '../private.js';
import { localStart } from './sessions.js';
import { ActionError, bo, boContext, boPage, formBody, idParam, queryOf, type BoContext } from './shared.js';

/*
 * The schedule editor (organizers; track managers move the sessions of their tracks):
 *   GET  /manage/events/:id/schedule                  one programme day as a grid of rooms × time
 *                                                     (?day, ?grain=5|10|15|30, ?condensed=1, and the
 *                                                     sidebar's filters ?q ?trackId ?kind ?duration ?speaker)
 *   GET  /manage/events/:id/schedule/state            the same as JSON for assets/schedule-editor.js
 *                                                     (?day; ?since=<version>: {unchanged: true} when
 *                                                     nothing moved, one indexed row read)
 *   POST /manage/events/:id/schedule/moves            applyScheduleMove: JSON from the script (CSRF
 *                                                     token in the csrf-token header), or a form post
 *                                                     from the sidebar without JavaScript
 *   POST /manage/events/:id/schedule/blockers         add an internal blocker (organizers)
 *   POST /manage/events/:id/schedule/blockers/:blockerId/delete
 * Without JavaScript the page is a read-only grid whose sessions link to their forms, and the
 * sidebar places sessions and proposals with small forms; the script adds dragging, the keyboard,
 * undo and live updates from other editors.
 */

export const GRAINS = [5, 10, 15, 30] as const;

export async function scheduleEditorPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/schedule', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const q = queryOf(request);
    const state = await loadEditorState(ctx.db, ctx.planning, c.actor, idParam(request, 'eventId'), q.day || undefined);
    return sendPage(reply, renderEditor(c, state, viewOf(q)));
  });

  app.get('/manage/events/:eventId/schedule/state', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const actor = c.actor;
    const q = queryOf(request);
    return answerJson(reply, async () => {
      const eventId = idParam(request, 'eventId');
      if (q.since && /^\d+$/.test(q.since) && (await currentVersion(ctx.db, actor, eventId)) === Number(q.since)) {
        return { version: Number(q.since), unchanged: true };
      }
      return loadEditorState(ctx.db, ctx.planning, actor, eventId, q.day || undefined);
    });
  });

  app.post('/manage/events/:eventId/schedule/moves', async (request, reply) => {
    const json = (request.headers['content-type'] ?? '').includes('application/json');
    if (json) {
      const actor = request.actor;
      if (!actor) return reply.code(401).send(jsonError(401, 'UNAUTHENTICATED', 'Sign in first.'));
      return answerJson(reply, () => applyScheduleMove(ctx, actor, idParam(request, 'eventId'), request.body));
    }
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const body = formBody(request);
    const day = typeof body.day === 'string' ? body.day : '';
    const [kind, itemId] = typeof body.item === 'string' ? body.item.split(':') : [];
    const { item: _item, day: _day, time: _time, ...rest } = body;
    const input = {
      ...rest,
      ...(kind === 'proposal' ? { proposalId: itemId } : kind === 'session' ? { sessionId: itemId } : {}),
      start: body.time === undefined ? undefined : localStart(body.day, body.time, (await editableEvent(ctx.db, c.actor, eventId)).day_change),
    };
    try {
      const done = await applyScheduleMove(ctx, c.actor, eventId, input);
      const notice =
        done.action === 'pin'
          ? `"${done.session.title}" pinned: proposals leave it where it is.`
          : done.action === 'unpin'
            ? `"${done.session.title}" unpinned: proposals may move it.`
            : `"${done.session.title}" placed at ${done.session.start.slice(11)}.`;
      return redirectWithNotice(reply, editorUrl(eventId, done.session.day), notice);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 403 || err.status === 404 || err.status >= 500) throw err;
      const state = await loadEditorState(ctx.db, ctx.planning, c.actor, eventId, day || undefined);
      return sendPage(reply, renderEditor(c, state, viewOf({}), err), err.status);
    }
  });

  app.post('/manage/events/:eventId/schedule/blockers', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const body = formBody(request);
    const day = typeof body.day === 'string' ? body.day : '';
    const event = await editableEvent(ctx.db, c.actor, eventId);
    // As the other settings forms: who may is answered before what was typed.
    if (!canManageEvent(c.actor, { eventId, communityId: event.community_id })) throw EventErrors.forbidden('block rooms of this event');
    try {
      const b = await createBlocker(ctx, c.actor, eventId, {
        ...body,
        start: localStart(body.day, body.time, event.day_change),
      });
      return redirectWithNotice(reply, editorUrl(eventId, day), `Blocked ${b.start.slice(11)}–${b.end.slice(11)}${b.title ? ` for "${b.title}"` : ''}.`);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 403 || err.status === 404 || err.status >= 500) throw err;
      const state = await loadEditorState(ctx.db, ctx.planning, c.actor, eventId, day || undefined);
      return sendPage(
        reply,
        renderEditor(c, state, viewOf({}), undefined, { values: stringValues(body), errors: problemsOf(err), message: err.message }),
        err.status,
      );
    }
  });

  app.post('/manage/events/:eventId/schedule/blockers/:blockerId/delete', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const body = formBody(request);
    await deleteBlocker(ctx, c.actor, eventId, idParam(request, 'blockerId'));
    return redirectWithNotice(reply, editorUrl(eventId, typeof body.day === 'string' ? body.day : ''), 'Blocker removed.');
  });
}

export function editorUrl(eventId: number, day = ''): string {
  return bo.event(eventId, `schedule${day ? `?day=${encodeURIComponent(day)}` : ''}`);
}

/** Runs a JSON endpoint's work: the result, or the one error shape (with `current` for a stale move). */
async function answerJson(reply: FastifyReply, run: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    return reply.type('application/json; charset=utf-8').send(await run());
  } catch (err) {
    if (!(err instanceof DomainError) || err.status >= 500) throw err;
    const current = staleCurrent(err);
    return reply
      .code(err.status)
      .type('application/json; charset=utf-8')
      .send({ ...jsonError(err.status, err.code, err.message, err.problems), ...(current ? { current } : {}) });
  }
}

function jsonError(status: number, code: string, message: string, problems: DomainError['problems'] = []) {
  return { error: { code, message, status, problems } };
}

function stringValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string')) as Record<string, string>;
}

function problemsOf(err: DomainError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of err.problems) out[p.path === 'start' ? 'time' : p.path] ??= p.message;
  return out;
}

/** How the page is asked to look, from the query string. */
interface View {
  readonly grain: number;
  readonly condensed: boolean;
  readonly filter: { q: string; trackId: string; kind: string; duration: string; speaker: string };
}

function viewOf(q: Record<string, string>): View {
  const grain = Number(q.grain);
  return {
    grain: (GRAINS as readonly number[]).includes(grain) ? grain : 15,
    condensed: q.condensed === '1',
    filter: { q: q.q ?? '', trackId: q.trackId ?? '', kind: q.kind ?? '', duration: q.duration ?? '', speaker: q.speaker ?? '' },
  };
}

/**
 * The script's settings and the state as JSON in a hidden element's text: `<`, `>` and `&` are
 * written as \u escapes, so the text holds no markup and no entity and reads back exactly (no
 * inline <script>: the page runs only our files under /assets/).
 */
function dataBlock(state: EditorState, view: View, csrf: string): string {
  const base = bo.event(state.event.id);
  const data = {
    state,
    grain: view.grain,
    condensed: view.condensed,
    csrf,
    urls: {
      page: `${base}/schedule`,
      state: `${base}/schedule/state`,
      moves: `${base}/schedule/moves`,
      live: `${base}/live`,
      session: `${base}/sessions/`,
      proposal: `${base}/proposals/`,
    },
  };
  return JSON.stringify(data).replace(/[<>&]/g, (c) => (c === '<' ? '\\u003c' : c === '>' ? '\\u003e' : '\\u0026'));
}

function renderEditor(c: BoContext, state: EditorState, view: View, error?: DomainError, blockerForm?: FormState): string {
  const e = state.event;
  const id = e.id;
  const safeData = dataBlock(state, view, c.csrf);
  const safeGrid = renderGrid(state, view, c.csrf);
  const tracks = new Map(state.tracks.map((t) => [t.id, t.name]));
  const speakers = new Map(state.speakers.map((s) => [s.id, s.name]));
  const pool = poolItems(state, speakers).filter((it) => matches(it, view.filter));
  const durations = [...new Set([...state.unplaced.map((s) => s.durationMinutes), ...state.proposals.map((p) => p.durationMinutes)])].sort((a, b) => a - b);
  const any = (label: string): Option => ({ value: '', label });
  const f = formState(view.filter);
  const totalWarnings = state.days.reduce((n, d) => n + d.warnings, 0);
  return boPage(c, {
    title: 'Schedule editor',
    event: { ed: { event: e, permissions: state.permissions }, section: 'schedule' },
    wide: true,
    styles: [GRID_CSS_URL],
    scripts: ['/assets/schedule-editor.js'],
    children: (
      <div class={`ed${view.condensed ? ' ed-condensed' : ''}`} data-schedule-editor="" data-grain={String(view.grain)}>
        <div id="ed-data" hidden>
          {safeData}
        </div>
        <h1>Schedule editor</h1>
        <p class="lede" safe>
          {`The draft programme (version ${state.version}; times in ${e.timeZone}). Drag a session to move it, drag its lower edge to change its length, drag it onto “Not placed” to take it off the grid; or select it and use the keyboard. Without JavaScript, open a session to edit it.`}
        </p>
        <ActionError error={error} />
        <nav class="ed-days" aria-label="Programme days">
          <ul>
            {state.days.map((d) => (
              <li>
                <a
                  href={attrText(`${editorUrl(id, d.date)}${view.grain !== 15 ? `&grain=${view.grain}` : ''}${view.condensed ? '&condensed=1' : ''}`)}
                  aria-current={d.date === state.day ? 'page' : undefined}
                  data-day={d.date}
                >
                  <span safe>{formatDayShort(d.date)}</span>
                  {d.warnings ? <span class="ed-badge" safe>{` ${d.warnings} ⚠`}</span> : ''}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <form method="get" action={attrText(bo.event(id, 'schedule'))} class="ed-toolbar" aria-label="View">
          <input type="hidden" name="day" value={attrText(state.day)} />
          <SelectField
            name="grain"
            label="Rows of"
            state={formState({ grain: String(view.grain) })}
            options={GRAINS.map((g) => ({ value: String(g), label: `${g} minutes` }))}
          />
          <label class="ed-check">
            <input type="checkbox" name="condensed" value="1" checked={view.condensed} /> Condensed (many rooms)
          </label>
          <button type="submit" class="secondary ed-apply">
            Show
          </button>
          <button type="button" class="secondary ed-undo" hidden>
            Undo
          </button>
          <a href="#ed-warnings" class="ed-warnings-link" safe>{`Warnings: ${state.warnings.length} today, ${totalWarnings} in all`}</a>
          <a href={bo.event(id, 'schedule/hours')}>Opening hours</a>
          {state.permissions.manageEvent ? (
            <a href={bo.event(id, 'schedule/propose')} class="ed-propose">
              Propose a programme
            </a>
          ) : (
            ''
          )}
        </form>
        <p class="ed-status" role="status" aria-live="polite"></p>
        <div class="ed-body">
          <aside class="ed-side" aria-labelledby="ed-side-h">
            <h2 id="ed-side-h" safe>{`Not placed (${pool.length})`}</h2>
            <form method="get" action={attrText(bo.event(id, 'schedule'))} class="ed-filters" aria-label="Filter what is not placed">
              <input type="hidden" name="day" value={attrText(state.day)} />
              <TextField name="q" label="Search" state={f} />
              <SelectField
                name="trackId"
                label="Track"
                state={f}
                options={[any('Any track'), ...state.tracks.map((t) => ({ value: String(t.id), label: t.name }))]}
              />
              <SelectField
                name="kind"
                label="Format"
                state={f}
                options={[any('Any format'), ...Object.entries(SESSION_KIND_LABELS).map(([k, label]) => ({ value: k, label }))]}
              />
              <SelectField
                name="duration"
                label="Length"
                state={f}
                options={[any('Any length'), ...durations.map((d) => ({ value: String(d), label: `${d} min` }))]}
              />
              <TextField name="speaker" label="Speaker" state={f} />
              <button type="submit" class="secondary">
                Filter
              </button>
            </form>
            <ul class="ed-pool" aria-label="Sessions and accepted proposals not on the grid">
              {pool.length === 0 ? <li class="hint">Nothing left to place.</li> : ''}
              {pool.map((it) => (
                <li class="ed-card" data-pool-kind={it.kind} data-pool-id={String(it.id)}>
                  <button type="button" class="ed-card-handle" data-pool-kind={it.kind} data-pool-id={String(it.id)}>
                    <span class="ed-card-title" safe>
                      {it.title}
                    </span>
                    <span class="ed-card-meta" safe>
                      {[
                        it.kind === 'proposal' ? 'Proposal' : 'Session',
                        SESSION_KIND_LABELS[it.format],
                        `${it.durationMinutes} min`,
                        it.trackId === null ? '' : (tracks.get(it.trackId) ?? ''),
                        it.speakers.join(', '),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </button>
                  {it.kind === 'session' ? (
                    <a class="ed-card-link" href={bo.event(id, `sessions/${it.id}`)}>
                      Edit
                    </a>
                  ) : (
                    <a class="ed-card-link" href={bo.event(id, `proposals/${it.id}`)}>
                      Proposal
                    </a>
                  )}
                </li>
              ))}
            </ul>
            {pool.length ? <PlaceForm c={c} state={state} pool={pool} /> : ''}
          </aside>
          <div class="ed-main">
            <div class="ed-scroll" tabindex="-1">
              {safeGrid}
            </div>
            <details class="ed-help">
              <summary>Keyboard and mouse</summary>
              <ul>
                <li>Drag a session (mouse, pen or finger) to another room or time; drag its lower edge to make it longer or shorter.</li>
                <li>Drag an item from “Not placed” onto the grid to place it; drag a session onto “Not placed” to take it off the grid.</li>
                <li>
                  Keyboard: Tab to a session (or an item not placed) and press Enter to pick it up; arrow keys move it one row or one room, Shift with Up or
                  Down changes its length; Enter drops it, Escape cancels. Delete takes a selected session off the grid.
                </li>
                <li>Undo (Ctrl+Z) takes back your last moves, one at a time.</li>
                <li>Pin a session (its Pin button, or P on a selected session) to keep it where it is when Hallway proposes a programme.</li>
              </ul>
            </details>
            <WarningList state={state} />
            <Blockers c={c} state={state} form={blockerForm} />
          </div>
        </div>
        <p class="vh" id="ed-keys">
          Enter picks it up; arrow keys move it, Shift with Up or Down changes its length; Enter drops it, Escape cancels.
        </p>
        <p class="vh" id="ed-announce" aria-live="assertive"></p>
      </div>
    ),
  });
}

interface PoolItem {
  readonly kind: 'session' | 'proposal';
  readonly id: number;
  readonly title: string;
  readonly format: SessionKind;
  readonly durationMinutes: number;
  readonly trackId: number | null;
  readonly roomId: number | null;
  readonly speakers: readonly string[];
  /** The time its place form suggests: its last start (sessions), or 09:00. */
  readonly time: string;
}

function poolItems(state: EditorState, speakers: ReadonlyMap<number, string>): PoolItem[] {
  return [
    ...state.unplaced.map((s) => ({
      kind: 'session' as const,
      id: s.id,
      title: s.title,
      format: s.kind,
      durationMinutes: s.durationMinutes,
      trackId: s.trackId,
      roomId: s.roomId,
      speakers: s.speakerIds.map((sp) => speakers.get(sp) ?? ''),
      time: s.start.slice(11, 16),
    })),
    ...state.proposals.map((p) => ({
      kind: 'proposal' as const,
      id: p.id,
      title: p.title,
      format: p.kind,
      durationMinutes: p.durationMinutes,
      trackId: p.trackId,
      roomId: null,
      speakers: p.speakers,
      time: '09:00',
    })),
  ];
}

function matches(it: PoolItem, f: View['filter']): boolean {
  const has = (text: string, needle: string) => text.toLowerCase().includes(needle.trim().toLowerCase());
  if (f.q && !has(`${it.title} ${it.speakers.join(' ')}`, f.q)) return false;
  if (f.trackId && String(it.trackId ?? '') !== f.trackId) return false;
  if (f.kind && it.format !== f.kind) return false;
  if (f.duration && String(it.durationMinutes) !== f.duration) return false;
  if (f.speaker && !has(it.speakers.join(' '), f.speaker)) return false;
  return true;
}

/**
 * The day's grid as HTML (the same classes the script renders): rooms as columns, rows of
 * `grain` minutes, placement by the generated classes of /assets/grid.css (the CSP forbids
 * inline styles). Items without a room span every room.
 */
function renderGrid(state: EditorState, view: View, csrf: string): string {
  const rooms = state.rooms;
  if (rooms.length === 0) return '<p class="ed-empty">Add rooms first: the grid has one column per room.</p>';
  if (rooms.length > GRID_MAX_ROOMS) return `<p class="ed-empty">The grid shows at most ${GRID_MAX_ROOMS} rooms.</p>`;
  const grain = view.grain;
  const { from, to } = state.range;
  const rows = Math.min(GRID_MAX_ROWS - 1, Math.ceil((to - from) / grain));
  const column = new Map(rooms.map((r, i) => [r.id, i + 2]));
  const speakers = new Map(state.speakers.map((s) => [s.id, s.name]));
  const tracks = new Map(state.tracks.map((t) => [t.id, t.name]));
  const warned = new Map<number, number>();
  for (const w of state.warnings) for (const sid of w.sessionIds) warned.set(sid, (warned.get(sid) ?? 0) + 1);
  const rowOf = (m: number) => 2 + Math.max(0, Math.min(rows - 1, Math.floor((m - from) / grain)));
  const spanOf = (_a: number, b: number, start: number) => Math.max(1, Math.min(rows + 2 - start, Math.ceil((b - from) / grain) + 2 - start));
  const out: string[] = [];
  out.push(`<div class="ed-grid gcols${rooms.length} ed-g${grain}" data-from="${from}" data-rows="${rows}">`);
  out.push('<div class="ed-corner gr1 gc1" aria-hidden="true"></div>');
  for (const r of rooms) {
    const cap = r.capacity === null ? '' : ` <span class="ed-cap">${r.capacity}</span>`;
    out.push(`<div class="ed-room gr1 gc${column.get(r.id)}" data-room="${r.id}" title="${esc(r.name)}">${esc(r.name)}${cap}</div>`);
  }
  out.push(`<div class="ed-timecol gr2 gs${rows} gc1" aria-hidden="true"></div>`);
  for (let m = Math.ceil(from / 30) * 30; m < from + rows * grain; m += 30) {
    const row = rowOf(m);
    const h = Math.floor(m / 60) % 24;
    out.push(`<div class="ed-line gr${row} gc2 gw${rooms.length}${m % 60 ? ' ed-half' : ''}" aria-hidden="true"></div>`);
    out.push(`<div class="ed-time gr${row} gc1" aria-hidden="true">${h < 10 ? '0' : ''}${h}:${m % 60 === 0 ? '00' : '30'}</div>`);
  }
  for (const b of state.blockers) {
    const a = minutesInto(state.day, b.start);
    const z = minutesInto(state.day, b.end);
    const start = rowOf(a);
    const col = b.roomId === null ? 2 : column.get(b.roomId);
    if (col === undefined) continue;
    const width = b.roomId === null ? rooms.length : 1;
    out.push(
      `<div class="ed-blocker gr${start} gs${spanOf(a, z, start)} gc${col} gw${width}" data-blocker="${b.id}"><span class="vh">Blocked: </span>${esc(b.title || 'Blocked')} <span class="ed-t">${b.start.slice(11)}–${b.end.slice(11)}</span></div>`,
    );
  }
  const editable = state.permissions.editableTrackIds;
  for (const s of state.sessions) {
    out.push(itemHtml(state, s, { rowOf, spanOf, column, rooms: rooms.length, speakers, tracks, warnings: warned.get(s.id) ?? 0, editable, csrf }));
  }
  out.push('</div>');
  return out.join('');
}

function itemHtml(
  state: EditorState,
  s: EditorSession,
  g: {
    rowOf: (m: number) => number;
    spanOf: (a: number, b: number, start: number) => number;
    column: ReadonlyMap<number, number>;
    rooms: number;
    speakers: ReadonlyMap<number, string>;
    tracks: ReadonlyMap<number, string>;
    warnings: number;
    editable: EditorState['permissions']['editableTrackIds'];
    csrf: string;
  },
): string {
  const a = minutesInto(state.day, s.start);
  const z = minutesInto(state.day, s.end);
  const start = g.rowOf(a);
  const wide = s.roomId === null;
  const col = wide ? 2 : (g.column.get(s.roomId!) ?? 2);
  const cls = [
    'ed-item',
    `gr${start}`,
    `gs${g.spanOf(a, z, start)}`,
    `gc${col}`,
    `gw${wide ? g.rooms : 1}`,
    SERVICE_KINDS.has(s.kind) ? 'ed-service' : '',
    s.status === 'cancelled' ? 'ed-cancelled' : '',
    g.warnings ? 'ed-warned' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const room = wide ? 'all rooms' : (state.rooms.find((r) => r.id === s.roomId)?.name ?? '');
  const people = s.speakerIds.map((id) => g.speakers.get(id) ?? '').filter(Boolean);
  const meta = [s.trackId === null ? '' : (g.tracks.get(s.trackId) ?? ''), people.join(', '), s.stars ? `★ ${s.stars}` : ''].filter(Boolean).join(' · ');
  const editable = g.editable === 'all' || (s.trackId !== null && g.editable.includes(s.trackId));
  // The same markup as assets/schedule-editor.js renders (it adopts this one as it is): the handle
  // is a button the script drags and picks up; without the script the Edit link leads to the form.
  return (
    `<div class="${cls}${editable ? '' : ' ed-locked'}" id="session-${s.id}" data-id="${s.id}"${s.trackId === null ? '' : ` data-track="${s.trackId}"`}>` +
    `<button type="button" class="ed-handle" aria-describedby="ed-keys">` +
    `<span class="ed-t">${s.start.slice(11)}–${s.end.slice(11)}<span class="vh">, ${esc(room)}</span></span> ` +
    `<span class="ed-title">${esc(s.title)}</span>` +
    (s.status === 'cancelled' ? ' <span class="ed-badge">cancelled</span>' : '') +
    (s.pinned ? ' <span class="ed-badge ed-pinned">pinned</span>' : '') +
    (g.warnings ? ` <span class="ed-badge ed-warn">${g.warnings} ⚠<span class="vh"> warning${g.warnings === 1 ? '' : 's'}</span></span>` : '') +
    (meta ? ` <span class="ed-meta">${esc(meta)}</span>` : '') +
    '</button>' +
    `<a class="ed-edit" href="${esc(bo.event(state.event.id, `sessions/${s.id}`))}" aria-label="Edit ${esc(s.title)}">Edit</a>` +
    (editable ? pinForm(state, s, g.csrf) : '') +
    '</div>'
  );
}

/**
 * Pin or unpin a session (proposals of the optimizer leave pinned sessions where they are): a
 * one-button form posting the move without JavaScript; the script sends it as JSON (and `P` on a
 * selected session does the same). The same markup as assets/schedule-editor.js renders.
 */
function pinForm(state: EditorState, s: EditorSession, csrf: string): string {
  const action = s.pinned ? 'unpin' : 'pin';
  const label = s.pinned ? `Unpin ${s.title} (pinned: proposals leave it where it is)` : `Pin ${s.title} where it is (proposals will not move it)`;
  return (
    `<form method="post" action="${esc(bo.event(state.event.id, 'schedule/moves'))}" class="ed-pinform">` +
    `<input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="action" value="${action}">` +
    `<input type="hidden" name="sessionId" value="${s.id}"><input type="hidden" name="baseVersion" value="${state.version}">` +
    `<input type="hidden" name="day" value="${esc(state.day)}">` +
    `<button type="submit" class="ed-pin" data-pin="${action}" aria-label="${esc(label)}">${s.pinned ? 'Unpin' : 'Pin'}</button></form>`
  );
}

/** The warnings of the day, each linking to the sessions it involves. */
function WarningList(p: { state: EditorState }): JSX.Element {
  const s = p.state;
  const titles = new Map(s.sessions.map((x) => [x.id, x.title]));
  return (
    <section class="ed-warnings" id="ed-warnings" aria-labelledby="ed-warnings-h">
      <h2 id="ed-warnings-h" safe>{`Warnings on ${formatDayShort(s.day)} (${s.warnings.length})`}</h2>
      {s.warnings.length === 0 ? (
        <p>No warnings on this day.</p>
      ) : (
        <ul class="ed-warning-list">
          {s.warnings.map((w) => (
            <WarningItem w={w} titles={titles} eventId={s.event.id} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WarningItem(p: { w: ScheduleWarning; titles: ReadonlyMap<number, string>; eventId: number }): JSX.Element {
  return (
    <li class={`ed-warning ed-w-${p.w.kind}`} data-sessions={p.w.sessionIds.join(' ')}>
      <strong safe>{WARNING_LABELS[p.w.kind]}</strong>: <span safe>{p.w.message}</span>{' '}
      {p.w.sessionIds.map((id) => {
        const title = p.titles.get(id);
        return title === undefined ? (
          <a href={bo.event(p.eventId, `sessions/${id}`)} class="ed-wlink" data-session={String(id)} safe>{`session #${id}`}</a>
        ) : (
          <a href={`#session-${id}`} class="ed-wlink" data-session={String(id)} safe>
            {title}
          </a>
        );
      })}
    </li>
  );
}

/** The day's internal blockers, and a form to add one (organizers). */
function Blockers(p: { c: BoContext; state: EditorState; form?: FormState }): JSX.Element {
  const s = p.state;
  const id = s.event.id;
  const rooms = new Map(s.rooms.map((r) => [r.id, r.name]));
  const f = p.form ?? formState({ time: '08:00', durationMinutes: '60' });
  return (
    <section class="ed-blockers" aria-labelledby="ed-blockers-h">
      <h2 id="ed-blockers-h">Blocked rooms (internal)</h2>
      <p class="hint">Set-up, cleaning, a private meeting: organizers see blockers here; they are never published.</p>
      {s.blockers.length ? (
        <ul>
          {s.blockers.map((b) => (
            <li>
              <span
                safe
              >{`${b.roomId === null ? 'Every room' : (rooms.get(b.roomId) ?? 'Room')}, ${b.start.slice(11)}–${b.end.slice(11)}${b.title ? `: ${b.title}` : ''}`}</span>{' '}
              {s.permissions.manageEvent ? (
                <PostForm action={bo.event(id, `schedule/blockers/${b.id}/delete`)} csrf={p.c.csrf} class="inline" label={`Remove blocker ${b.title}`}>
                  <input type="hidden" name="day" value={attrText(s.day)} />
                  <button type="submit" class="secondary">
                    Remove
                  </button>
                </PostForm>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>No room is blocked on this day.</p>
      )}
      {s.permissions.manageEvent ? (
        <PostForm action={bo.event(id, 'schedule/blockers')} csrf={p.c.csrf} class="ed-blocker-form" label="Block a room">
          {f.message ? (
            <p class="error-summary" role="alert" safe>
              {f.message}
            </p>
          ) : (
            ''
          )}
          <input type="hidden" name="day" value={attrText(s.day)} />
          <SelectField
            name="roomId"
            label="Room"
            state={f}
            options={[{ value: '', label: 'Every room' }, ...s.rooms.map((r) => ({ value: String(r.id), label: r.name }))]}
          />
          <TextField name="title" label="What for" state={f} />
          <TextField name="time" type="time" label={`From (${formatDayMedium(s.day)})`} state={f} required />
          <TextField name="durationMinutes" type="number" min="5" max="1440" label="For (minutes)" state={f} required />
          <button type="submit" class="secondary">
            Block
          </button>
        </PostForm>
      ) : (
        ''
      )}
    </section>
  );
}

/** Placing without dragging (and without JavaScript): pick what, where and when. */
function PlaceForm(p: { c: BoContext; state: EditorState; pool: readonly PoolItem[] }): JSX.Element {
  const s = p.state;
  return (
    <details class="ed-place">
      <summary>Place without dragging</summary>
      <PostForm action={bo.event(s.event.id, 'schedule/moves')} csrf={p.c.csrf} label="Place a session or proposal">
        <input type="hidden" name="action" value="place" />
        <input type="hidden" name="baseVersion" value={String(s.version)} />
        <input type="hidden" name="day" value={attrText(s.day)} />
        <div class="field">
          <label for="ed-place-what">What</label>
          <select id="ed-place-what" name="item" required>
            {p.pool.map((it) => (
              <option value={`${it.kind}:${it.id}`} safe>
                {`${it.title} (${it.durationMinutes} min)`}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ed-place-room">Room</label>
          <select id="ed-place-room" name="roomId">
            <option value="">— no room (every room) —</option>
            {s.rooms.map((r) => (
              <option value={String(r.id)} safe>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ed-place-time" safe>{`Start on ${formatDayMedium(s.day)}`}</label>
          <input id="ed-place-time" name="time" type="time" value="09:00" required />
        </div>
        <div class="field field-checkbox">
          <input id="ed-place-force" name="force" type="checkbox" value="1" />
          <label for="ed-place-force">Even if a speaker is elsewhere at that time</label>
        </div>
        <button type="submit">Place</button>
      </PostForm>
    </details>
  );
}
