// Hallway schedule editor (back office). The page works without this script (a grid whose sessions
// link to their forms, and a form to place what is not placed); the script adds:
//  - dragging with pointer events (mouse, pen, finger): move a session to another room or time,
//    drag its lower edge to resize it, drag from "Not placed" onto the grid to place it, drag a
//    session onto "Not placed" to take it off the grid;
//  - the keyboard: Enter picks a session (or an item not placed) up, arrows move it one row or one
//    room, Shift+Up/Down change its length, Enter drops, Escape cancels, Delete takes it off the grid,
//    P pins it where it is (or unpins it; also its Pin button): proposals leave pinned sessions alone;
//    every step is announced through an aria-live region;
//  - undo of the last moves (button or Ctrl+Z);
//  - live updates: the editor listens to /manage/events/:id/live (Server-Sent Events, `draft`
//    notices with the new version) and, where that is not available, asks its state endpoint once
//    a second while the tab is visible (`?since=<version>`: a one-row answer when nothing moved).
// Every move carries the version the editor showed; a refused one (stale version, busy room…) is
// explained and the grid shows the programme as stored.
(() => {
  const root = document.querySelector('[data-schedule-editor]');
  const dataEl = document.getElementById('ed-data');
  if (!root || !dataEl || !window.fetch || !window.JSON) return;
  const cfg = JSON.parse(dataEl.textContent);
  const urls = cfg.urls;
  let state = cfg.state;
  let grain = cfg.grain;
  let condensed = cfg.condensed;

  const scroll = root.querySelector('.ed-scroll');
  const status = root.querySelector('.ed-status');
  const announcer = document.getElementById('ed-announce');
  const undoButton = root.querySelector('.ed-undo');
  const side = root.querySelector('.ed-side');
  const pool = root.querySelector('.ed-pool');
  const sideHeading = document.getElementById('ed-side-h');
  const filterForm = root.querySelector('.ed-filters');
  const toolbar = root.querySelector('.ed-toolbar');
  const daysNav = root.querySelector('.ed-days');
  const warningsSection = root.querySelector('.ed-warnings');
  const warningsLink = root.querySelector('.ed-warnings-link');

  const KINDS = {
    keynote: 'Keynote',
    talk: 'Talk',
    lightning: 'Lightning talk',
    panel: 'Panel',
    workshop: 'Workshop',
    remarks: 'Remarks',
    break: 'Break',
    meal: 'Meal',
    doors: 'Doors open',
    social: 'Social',
  };
  const SERVICE = { break: 1, meal: 1, doors: 1, social: 1 };
  const WARNING_LABELS = {
    room_double_booked: 'Room double-booked',
    speaker_double_booked: 'Speaker in two places',
    speaker_unavailable: 'Speaker unavailable',
    outside_event_hours: "Outside the event's hours",
    outside_room_hours: "Outside the room's opening hours",
    room_blocked: 'Room blocked',
    during_break: 'During a break for every room',
    room_too_small: 'Room too small',
    audience_conflict: 'Audience conflict',
  };

  /** Height in px of a session's lower edge that resizes it (its ::after strip). */
  const EDGE = 8;
  /** Moves that can be taken back, newest last: { label, move }. */
  const undoStack = [];
  /** A pointer drag in progress, or a keyboard pick-up. */
  let drag = null;
  let pick = null;
  /** A move is being saved: live refreshes wait for it. */
  let saving = false;
  let refreshWanted = false;

  // --- small helpers ---------------------------------------------------------------------------

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const pad = (n) => (n < 10 ? `0${n}` : `${n}`);
  const hhmm = (m) => `${pad(Math.floor((((m % 1440) + 1440) % 1440) / 60))}:${pad(((m % 60) + 60) % 60)}`;
  const dayMs = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
  const addDays = (d, n) => new Date(dayMs(d) + n * 86400000).toISOString().slice(0, 10);
  /** Minutes after local midnight of `day` of a local date-time `2027-04-15T10:30`. */
  const minutesInto = (day, local) => Math.round((dayMs(local.slice(0, 10)) - dayMs(day)) / 86400000) * 1440 + +local.slice(11, 13) * 60 + +local.slice(14, 16);
  /** The local date-time `minutes` after local midnight of `day`. */
  const localAt = (day, minutes) => `${addDays(day, Math.floor(minutes / 1440))}T${hhmm(minutes)}`;
  const roomName = (id) => (id === null ? 'every room' : (state.rooms.find((r) => r.id === id) || { name: 'a room' }).name);

  function tint(hex, amount) {
    const n = parseInt(hex.slice(1), 16);
    const mix = (c) => pad16(Math.round(c + (255 - c) * amount));
    return `#${mix((n >> 16) & 255)}${mix((n >> 8) & 255)}${mix(n & 255)}`;
  }
  function pad16(n) {
    const s = n.toString(16);
    return s.length < 2 ? `0${s}` : s;
  }

  function say(text, kind) {
    status.textContent = text;
    status.setAttribute('data-state', kind || 'info');
    announcer.textContent = '';
    // A fresh node change, so the same words are announced again.
    requestAnimationFrame(() => {
      announcer.textContent = text;
    });
  }

  function mayEdit(trackId) {
    const t = state.permissions.editableTrackIds;
    return t === 'all' || (trackId !== null && t.indexOf(trackId) >= 0);
  }

  // --- rendering (the same markup as the server's, see src/web/backoffice/schedule-editor.tsx) ----

  function geometry() {
    const from = state.range.from;
    const rows = Math.min(299, Math.ceil((state.range.to - from) / grain));
    return { from, rows };
  }

  function rowOf(m, g) {
    return 2 + Math.max(0, Math.min(g.rows - 1, Math.floor((m - g.from) / grain)));
  }

  function spanOf(end, start, g) {
    return Math.max(1, Math.min(g.rows + 2 - start, Math.ceil((end - g.from) / grain) + 2 - start));
  }

  function columnOf(roomId) {
    const i = state.rooms.findIndex((r) => r.id === roomId);
    return i < 0 ? 2 : i + 2;
  }

  function warningCounts() {
    const counts = {};
    for (const w of state.warnings) for (const id of w.sessionIds) counts[id] = (counts[id] || 0) + 1;
    return counts;
  }

  function renderGrid() {
    const rooms = state.rooms;
    if (rooms.length === 0 || rooms.length > 100) return;
    const g = geometry();
    const speakers = {};
    for (const s of state.speakers) speakers[s.id] = s.name;
    const tracks = {};
    for (const t of state.tracks) tracks[t.id] = t;
    const warned = warningCounts();
    const out = [];
    out.push(`<div class="ed-grid gcols${rooms.length} ed-g${grain}" data-from="${g.from}" data-rows="${g.rows}">`);
    out.push('<div class="ed-corner gr1 gc1" aria-hidden="true"></div>');
    rooms.forEach((r, i) => {
      const cap = r.capacity === null ? '' : ` <span class="ed-cap">${r.capacity}</span>`;
      out.push(`<div class="ed-room gr1 gc${i + 2}" data-room="${r.id}" title="${esc(r.name)}">${esc(r.name)}${cap}</div>`);
    });
    out.push(`<div class="ed-timecol gr2 gs${g.rows} gc1" aria-hidden="true"></div>`);
    for (let m = Math.ceil(g.from / 30) * 30; m < g.from + g.rows * grain; m += 30) {
      const row = rowOf(m, g);
      out.push(`<div class="ed-line gr${row} gc2 gw${rooms.length}${m % 60 ? ' ed-half' : ''}" aria-hidden="true"></div>`);
      out.push(`<div class="ed-time gr${row} gc1" aria-hidden="true">${hhmm(m)}</div>`);
    }
    for (const b of state.blockers) {
      const a = minutesInto(state.day, b.start);
      const z = minutesInto(state.day, b.end);
      const start = rowOf(a, g);
      const col = b.roomId === null ? 2 : columnOf(b.roomId);
      out.push(
        `<div class="ed-blocker gr${start} gs${spanOf(z, start, g)} gc${col} gw${b.roomId === null ? rooms.length : 1}" data-blocker="${b.id}"><span class="vh">Blocked: </span>${esc(b.title || 'Blocked')} <span class="ed-t">${b.start.slice(11)}–${b.end.slice(11)}</span></div>`,
      );
    }
    for (const s of state.sessions) {
      const a = minutesInto(state.day, s.start);
      const z = minutesInto(state.day, s.end);
      const start = rowOf(a, g);
      const wide = s.roomId === null;
      const editable = mayEdit(s.trackId);
      const people = s.speakerIds.map((id) => speakers[id]).filter(Boolean);
      const track = s.trackId === null ? null : tracks[s.trackId];
      const meta = [track ? track.name : '', people.join(', '), s.stars ? `★ ${s.stars}` : ''].filter(Boolean).join(' · ');
      const n = warned[s.id] || 0;
      const cls = [
        'ed-item',
        `gr${start}`,
        `gs${spanOf(z, start, g)}`,
        `gc${wide ? 2 : columnOf(s.roomId)}`,
        `gw${wide ? rooms.length : 1}`,
        SERVICE[s.kind] ? 'ed-service' : '',
        s.status === 'cancelled' ? 'ed-cancelled' : '',
        n ? 'ed-warned' : '',
        editable ? '' : 'ed-locked',
      ]
        .filter(Boolean)
        .join(' ');
      out.push(
        `<div class="${cls}" id="session-${s.id}" data-id="${s.id}"${track ? ` data-track="${track.id}"` : ''}>` +
          `<button type="button" class="ed-handle" aria-describedby="ed-keys">` +
          `<span class="ed-t">${s.start.slice(11)}–${s.end.slice(11)}<span class="vh">, ${esc(wide ? 'all rooms' : roomName(s.roomId))}</span></span> ` +
          `<span class="ed-title">${esc(s.title)}</span>` +
          (s.status === 'cancelled' ? ' <span class="ed-badge">cancelled</span>' : '') +
          (s.pinned ? ' <span class="ed-badge ed-pinned">pinned</span>' : '') +
          (n ? ` <span class="ed-badge ed-warn">${n} ⚠<span class="vh"> warning${n === 1 ? '' : 's'}</span></span>` : '') +
          (meta ? ` <span class="ed-meta">${esc(meta)}</span>` : '') +
          `</button>` +
          `<a class="ed-edit" href="${esc(urls.session + s.id)}" aria-label="Edit ${esc(s.title)}">Edit</a>` +
          (editable ? pinForm(s) : '') +
          `</div>`,
      );
    }
    out.push('</div>');
    scroll.innerHTML = out.join('');
    colourItems();
  }

  /** The pin toggle of a session (the same markup as the server's pinForm). */
  function pinForm(s) {
    const action = s.pinned ? 'unpin' : 'pin';
    const label = s.pinned ? `Unpin ${s.title} (pinned: proposals leave it where it is)` : `Pin ${s.title} where it is (proposals will not move it)`;
    return (
      `<form method="post" action="${esc(urls.moves)}" class="ed-pinform">` +
      `<input type="hidden" name="_csrf" value="${esc(cfg.csrf)}"><input type="hidden" name="action" value="${action}">` +
      `<input type="hidden" name="sessionId" value="${s.id}"><input type="hidden" name="baseVersion" value="${state.version}">` +
      `<input type="hidden" name="day" value="${esc(state.day)}">` +
      `<button type="submit" class="ed-pin" data-pin="${action}" aria-label="${esc(label)}">${s.pinned ? 'Unpin' : 'Pin'}</button></form>`
    );
  }

  /** Pins or unpins a session, undoable. */
  function togglePin(id) {
    const s = state.sessions.find((x) => x.id === id);
    if (!s) return null;
    if (!mayEdit(s.trackId)) return say(`You may not pin "${s.title}".`, 'error');
    const action = s.pinned ? 'unpin' : 'pin';
    const label = s.pinned ? `Unpinned "${s.title}"` : `Pinned "${s.title}" where it is`;
    return send({ action, sessionId: id }, label, { action: s.pinned ? 'pin' : 'unpin', sessionId: id }).then((answer) => {
      if (answer) focusItem(`s${id}`);
      return answer;
    });
  }

  /** Track colours: custom properties set through the CSSOM (the CSP forbids style attributes). */
  function colourItems() {
    const tracks = {};
    for (const t of state.tracks) tracks[t.id] = t;
    for (const el of scroll.querySelectorAll('.ed-item[data-track]')) {
      const t = tracks[el.getAttribute('data-track')];
      if (t && /^#[0-9a-fA-F]{6}$/.test(t.color)) {
        el.style.setProperty('--track', t.color);
        el.style.setProperty('--track-bg', tint(t.color, 0.86));
      }
    }
  }

  function poolItems() {
    const speakers = {};
    for (const s of state.speakers) speakers[s.id] = s.name;
    return [
      ...state.unplaced.map((s) => ({
        kind: 'session',
        id: s.id,
        title: s.title,
        format: s.kind,
        durationMinutes: s.durationMinutes,
        trackId: s.trackId,
        roomId: s.roomId,
        start: s.start,
        speakers: s.speakerIds.map((id) => speakers[id] || ''),
      })),
      ...state.proposals.map((p) => ({
        kind: 'proposal',
        id: p.id,
        title: p.title,
        format: p.kind,
        durationMinutes: p.durationMinutes,
        trackId: p.trackId,
        roomId: null,
        start: null,
        speakers: p.speakers,
      })),
    ];
  }

  function filters() {
    const f = {};
    if (!filterForm) return f;
    for (const name of ['q', 'trackId', 'kind', 'duration', 'speaker']) {
      const el = filterForm.elements.namedItem(name);
      f[name] = el ? el.value.trim().toLowerCase() : '';
    }
    return f;
  }

  function matches(it, f) {
    const has = (text, needle) => text.toLowerCase().indexOf(needle) >= 0;
    if (f.q && !has(`${it.title} ${it.speakers.join(' ')}`, f.q)) return false;
    if (f.trackId && String(it.trackId === null ? '' : it.trackId) !== f.trackId) return false;
    if (f.kind && it.format !== f.kind) return false;
    if (f.duration && String(it.durationMinutes) !== f.duration) return false;
    if (f.speaker && !has(it.speakers.join(' '), f.speaker)) return false;
    return true;
  }

  function renderPool() {
    const tracks = {};
    for (const t of state.tracks) tracks[t.id] = t.name;
    const f = filters();
    const items = poolItems().filter((it) => matches(it, f));
    sideHeading.textContent = `Not placed (${items.length})`;
    pool.innerHTML =
      (items.length ? '' : '<li class="hint">Nothing left to place.</li>') +
      items
        .map((it) => {
          const meta = [
            it.kind === 'proposal' ? 'Proposal' : 'Session',
            KINDS[it.format] || it.format,
            `${it.durationMinutes} min`,
            it.trackId === null ? '' : tracks[it.trackId] || '',
            it.speakers.join(', '),
          ]
            .filter(Boolean)
            .join(' · ');
          const link =
            it.kind === 'session'
              ? `<a class="ed-card-link" href="${esc(urls.session + it.id)}">Edit</a>`
              : `<a class="ed-card-link" href="${esc(urls.proposal + it.id)}">Proposal</a>`;
          return (
            `<li class="ed-card" data-pool-kind="${it.kind}" data-pool-id="${it.id}">` +
            `<button type="button" class="ed-card-handle" data-pool-kind="${it.kind}" data-pool-id="${it.id}" aria-describedby="ed-keys">` +
            `<span class="ed-card-title">${esc(it.title)}</span> <span class="ed-card-meta">${esc(meta)}</span></button>${link}</li>`
          );
        })
        .join('');
  }

  function renderWarnings() {
    const titles = {};
    for (const s of state.sessions) titles[s.id] = s.title;
    const tab = daysNav.querySelector(`a[data-day="${state.day}"] span`);
    const heading = `Warnings on ${tab ? tab.textContent : state.day} (${state.warnings.length})`;
    const items = state.warnings
      .map((w) => {
        const links = w.sessionIds
          .map((id) =>
            titles[id] === undefined
              ? `<a href="${esc(urls.session + id)}" class="ed-wlink" data-session="${id}">session #${id}</a>`
              : `<a href="#session-${id}" class="ed-wlink" data-session="${id}">${esc(titles[id])}</a>`,
          )
          .join(' ');
        return `<li class="ed-warning ed-w-${w.kind}" data-sessions="${w.sessionIds.join(' ')}"><strong>${esc(WARNING_LABELS[w.kind] || w.kind)}</strong>: <span>${esc(w.message)}</span> ${links}</li>`;
      })
      .join('');
    warningsSection.innerHTML = `<h2 id="ed-warnings-h">${esc(heading)}</h2>${items ? `<ul class="ed-warning-list">${items}</ul>` : '<p>No warnings on this day.</p>'}`;
    const total = state.days.reduce((n, d) => n + d.warnings, 0);
    if (warningsLink) warningsLink.textContent = `Warnings: ${state.warnings.length} today, ${total} in all`;
  }

  function renderDays() {
    for (const a of daysNav.querySelectorAll('a[data-day]')) {
      const d = state.days.find((x) => x.date === a.getAttribute('data-day'));
      if (a.getAttribute('data-day') === state.day) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
      let badge = a.querySelector('.ed-badge');
      if (d?.warnings) {
        if (!badge) {
          badge = document.createElement('span');
          badge.className = 'ed-badge';
          a.appendChild(badge);
        }
        badge.textContent = ` ${d.warnings} ⚠`;
      } else if (badge) badge.remove();
    }
  }

  function renderAll() {
    const focused = document.activeElement?.closest ? document.activeElement.closest('.ed-item, .ed-card') : null;
    const focusKey = focused
      ? focused.classList.contains('ed-item')
        ? `s${focused.getAttribute('data-id')}`
        : `p${focused.getAttribute('data-pool-kind')}${focused.getAttribute('data-pool-id')}`
      : null;
    renderGrid();
    renderPool();
    renderWarnings();
    renderDays();
    root.classList.toggle('ed-condensed', condensed);
    if (focusKey) focusItem(focusKey);
    root.setAttribute('data-version', String(state.version));
  }

  function focusItem(key) {
    const el =
      key[0] === 's'
        ? document.querySelector(`#session-${key.slice(1)} .ed-handle`)
        : document.querySelector(`.ed-card-handle[data-pool-kind="${key.slice(1).replace(/\d+$/, '')}"][data-pool-id="${key.replace(/^\D+/, '')}"]`);
    if (el) el.focus({ preventScroll: false });
  }

  // --- talking to the server ---------------------------------------------------------------------

  async function refresh() {
    if (drag || pick || saving) {
      refreshWanted = true;
      return;
    }
    refreshWanted = false;
    const res = await fetch(`${urls.state}?day=${encodeURIComponent(state.day)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!res.ok) return;
    const next = await res.json();
    if (drag || pick || saving) {
      refreshWanted = true;
      return;
    }
    state = next;
    renderAll();
  }

  async function poll() {
    if (document.visibilityState !== 'visible' || drag || pick || saving) return;
    try {
      const res = await fetch(`${urls.state}?day=${encodeURIComponent(state.day)}&since=${state.version}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return;
      const next = await res.json();
      if (next.unchanged || drag || pick || saving) return;
      const before = state.version;
      state = next;
      renderAll();
      if (next.version !== before) say(`The programme changed (version ${next.version}): the grid shows it.`, 'info');
    } catch (_e) {
      /* offline for a moment: the next poll tries again */
    }
  }

  function listen() {
    let opened = false;
    let polling = null;
    const startPolling = () => {
      if (!polling) polling = setInterval(poll, 1000);
    };
    if (!window.EventSource) return startPolling();
    const source = new EventSource(urls.live);
    source.addEventListener('open', () => {
      opened = true;
    });
    source.addEventListener('draft', (ev) => {
      let v = 0;
      try {
        v = JSON.parse(ev.data).version;
      } catch (_e) {
        v = Infinity;
      }
      if (v > state.version) refresh();
    });
    source.addEventListener('error', () => {
      // No live channel here (404, or it went away for good): ask the state endpoint instead.
      if (!opened || source.readyState === EventSource.CLOSED) {
        source.close();
        startPolling();
      }
    });
  }

  /**
   * Sends one move based on the version shown. `inverse` (a move that takes it back) goes on the
   * undo stack when it is saved. Returns the server's answer or null when refused.
   */
  async function send(move, label, inverse) {
    saving = true;
    say(`${label}: saving…`, 'saving');
    let res;
    let body = null;
    try {
      res = await fetch(urls.moves, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'csrf-token': cfg.csrf },
        body: JSON.stringify(Object.assign({}, move, { baseVersion: state.version })),
      });
      body = await res.json().catch(() => null);
    } catch (_e) {
      saving = false;
      say(`${label}: not saved (no connection?). Nothing changed.`, 'error');
      renderAll();
      return null;
    }
    saving = false;
    if (res.ok && body) {
      const inv = typeof inverse === 'function' ? inverse(body) : inverse;
      if (inv && body.changed) {
        undoStack.push({ label, move: inv });
        if (undoStack.length > 50) undoStack.shift();
      }
      updateUndo();
      const warnings = body.warnings.length
        ? ` ${body.warnings.length} warning${body.warnings.length === 1 ? '' : 's'}: ${body.warnings.map((w) => w.message).join(' ')}`
        : '';
      await refreshNow();
      say(`${label}: saved.${warnings}`, body.warnings.length ? 'warning' : 'ok');
      return body;
    }
    const error = body?.error ? body.error : { code: `HTTP_${res.status}`, message: `The server answered ${res.status}.` };
    if (error.code === 'SPEAKER_DOUBLE_BOOKED' && !move.force) {
      const details = (error.problems || []).map((p) => p.message).join('; ');
      if (window.confirm(`${details || error.message}\n\nPlace it anyway?`)) return send(Object.assign({}, move, { force: true }), label, inverse);
    }
    await refreshNow();
    say(`${label}: not saved. ${error.message}`, 'error');
    return null;
  }

  async function refreshNow() {
    const wasWanted = refreshWanted;
    refreshWanted = false;
    const res = await fetch(`${urls.state}?day=${encodeURIComponent(state.day)}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    }).catch(() => null);
    if (res?.ok) state = await res.json();
    renderAll();
    if (wasWanted && !res) refreshWanted = true;
  }

  function updateUndo() {
    if (!undoButton) return;
    undoButton.disabled = undoStack.length === 0 || saving;
    undoButton.textContent = undoStack.length ? `Undo: ${undoStack[undoStack.length - 1].label}` : 'Undo';
  }

  async function undoLast() {
    const last = undoStack.pop();
    updateUndo();
    if (!last) return say('Nothing to undo.', 'info');
    await send(last.move, `Undo ${last.label.charAt(0).toLowerCase()}${last.label.slice(1)}`, null);
  }

  // --- what a move means --------------------------------------------------------------------------

  /** The session or pool item being moved, in minutes on this day. */
  function subjectOf(kind, id) {
    if (kind === 'session') {
      const s = state.sessions.find((x) => x.id === id) || state.unplaced.find((x) => x.id === id);
      if (!s) return null;
      const onDay = s.placed && s.day === state.day;
      return {
        kind,
        id,
        title: s.title,
        placed: s.placed,
        trackId: s.trackId,
        roomId: s.roomId,
        start: onDay ? minutesInto(state.day, s.start) : null,
        duration: s.durationMinutes,
        before: { roomId: s.roomId, start: s.start, duration: s.durationMinutes, placed: s.placed },
      };
    }
    const p = state.proposals.find((x) => x.id === id);
    if (!p) return null;
    return { kind, id, title: p.title, placed: false, trackId: p.trackId, roomId: null, start: null, duration: p.durationMinutes, before: null };
  }

  /** Commits a position: place, move or resize, with its undo. */
  function commit(subject, roomId, start, duration) {
    const startLocal = localAt(state.day, start);
    const where = `${roomName(roomId)}, ${hhmm(start)}`;
    if (!subject.placed) {
      const move =
        subject.kind === 'proposal'
          ? { action: 'place', proposalId: subject.id, roomId, start: startLocal }
          : { action: 'place', sessionId: subject.id, roomId, start: startLocal, durationMinutes: duration };
      return send(move, `Placed "${subject.title}" in ${where}`, (answer) => ({ action: 'unschedule', sessionId: answer.session.id }));
    }
    const b = subject.before;
    if (duration !== subject.duration && roomId === subject.roomId && start === subject.start) {
      return send({ action: 'resize', sessionId: subject.id, durationMinutes: duration }, `Changed "${subject.title}" to ${duration} minutes`, {
        action: 'resize',
        sessionId: subject.id,
        durationMinutes: b.duration,
      });
    }
    if (roomId === subject.roomId && start === subject.start) {
      say(`"${subject.title}" stays where it was.`, 'info');
      renderAll();
      return null;
    }
    const move = { action: 'move', sessionId: subject.id, roomId, start: startLocal };
    return send(move, `Moved "${subject.title}" to ${where}`, { action: 'move', sessionId: subject.id, roomId: b.roomId, start: b.start });
  }

  function unschedule(subject) {
    const b = subject.before;
    return send({ action: 'unschedule', sessionId: subject.id }, `Took "${subject.title}" off the grid`, {
      action: 'place',
      sessionId: subject.id,
      roomId: b.roomId,
      start: b.start,
      durationMinutes: b.duration,
    });
  }

  // --- the ghost: where an item would go ----------------------------------------------------------

  function grid() {
    return scroll.querySelector('.ed-grid');
  }

  function showGhost(target) {
    const g = geometry();
    const el = grid();
    if (!el) return;
    let ghost = el.querySelector('.ed-ghost');
    if (!ghost) {
      ghost = document.createElement('div');
      ghost.setAttribute('aria-hidden', 'true');
      el.appendChild(ghost);
    }
    const start = rowOf(target.start, g);
    const wide = target.roomId === null;
    ghost.className = `ed-ghost gr${start} gs${spanOf(target.start + target.duration, start, g)} gc${wide ? 2 : columnOf(target.roomId)} gw${wide ? state.rooms.length : 1}`;
    ghost.textContent = `${hhmm(target.start)}–${hhmm(target.start + target.duration)} ${target.title}`;
  }

  function hideGhost() {
    const el = grid();
    const ghost = el?.querySelector('.ed-ghost');
    if (ghost) ghost.remove();
  }

  /** Grid geometry in the grid's own coordinates, measured now (it scrolls). */
  function measure() {
    const el = grid();
    if (!el) return null;
    const rect = el.getBoundingClientRect();
    const rooms = Array.from(el.querySelectorAll('.ed-room')).map((r) => ({ left: r.offsetLeft, width: r.offsetWidth }));
    const timecol = el.querySelector('.ed-timecol');
    const g = geometry();
    return { rect, rooms, top: timecol.offsetTop, rowH: timecol.offsetHeight / g.rows, g };
  }

  /** The room (null left of the first room: every room) and row under a point. */
  function cellAt(m, x, y) {
    const gx = x - m.rect.left;
    const gy = y - m.rect.top;
    let roomId = null;
    for (let i = 0; i < m.rooms.length; i++) {
      if (gx >= m.rooms[i].left) roomId = state.rooms[i].id;
    }
    return { roomId, row: Math.floor((gy - m.top) / m.rowH), inside: gx >= 0 && gy >= m.top && gx < m.rect.width && gy < m.rect.height };
  }

  function clampStart(start, duration) {
    const g = geometry();
    const last = g.from + g.rows * grain - Math.min(duration, grain);
    return Math.max(g.from, Math.min(last, start));
  }

  // --- pointer: drag and drop -----------------------------------------------------------------------

  function overSide(x, y) {
    const r = side.getBoundingClientRect();
    return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  }

  root.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || pick || saving) return;
    // The lower edge of a session (its ::after strip, 0.45rem) resizes it; the rest moves it.
    const onItem = e.target.closest('.ed-item:not(.ed-locked)');
    const resize = onItem && !e.target.closest('.ed-edit, .ed-pinform') && e.clientY >= onItem.getBoundingClientRect().bottom - EDGE ? onItem : null;
    const handle = resize ? null : e.target.closest('.ed-handle, .ed-card-handle');
    if (!resize && !handle) return;
    const item = (resize || handle).closest('.ed-item');
    const subject = item
      ? subjectOf('session', +item.getAttribute('data-id'))
      : subjectOf(handle.getAttribute('data-pool-kind'), +handle.getAttribute('data-pool-id'));
    if (!subject || !mayEdit(subject.trackId)) return;
    const m = measure();
    if (!m) return;
    let grab = 0;
    if (item && !resize) {
      const r = item.getBoundingClientRect();
      grab = Math.max(0, Math.floor((e.clientY - r.top) / m.rowH));
    }
    drag = { subject, mode: resize ? 'resize' : 'move', x: e.clientX, y: e.clientY, started: false, grab, item, target: null, pointer: e.pointerId };
    (resize || handle).setPointerCapture(e.pointerId);
    if (handle) handle.focus({ preventScroll: true });
    e.preventDefault();
  });

  root.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.pointer) return;
    if (!drag.started) {
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 5) return;
      drag.started = true;
      root.classList.add('ed-is-dragging');
      if (drag.item) drag.item.classList.add('ed-dragged');
    }
    const m = measure();
    if (!m) return;
    const s = drag.subject;
    if (drag.mode === 'resize') {
      const cell = cellAt(m, e.clientX, e.clientY);
      const endRow = Math.max(cell.row + 1, Math.floor((s.start - m.g.from) / grain) + 1);
      const duration = Math.max(grain, m.g.from + endRow * grain - s.start);
      drag.target = { roomId: s.roomId, start: s.start, duration, title: s.title };
      showGhost(drag.target);
      return;
    }
    if (s.placed && overSide(e.clientX, e.clientY)) {
      drag.target = { off: true };
      hideGhost();
      side.classList.add('ed-drop');
      return;
    }
    side.classList.remove('ed-drop');
    const cell = cellAt(m, e.clientX, e.clientY);
    if (!cell.inside) {
      drag.target = null;
      hideGhost();
      return;
    }
    const start = clampStart(m.g.from + (cell.row - drag.grab) * grain, s.duration);
    const roomId = s.placed && s.roomId === null ? null : cell.roomId;
    drag.target = { roomId, start, duration: s.duration, title: s.title };
    showGhost(drag.target);
  });

  function endDrag() {
    root.classList.remove('ed-is-dragging');
    side.classList.remove('ed-drop');
    if (drag?.item) drag.item.classList.remove('ed-dragged');
    const d = drag;
    drag = null;
    return d;
  }

  root.addEventListener('pointerup', (e) => {
    if (!drag || e.pointerId !== drag.pointer) return;
    const d = endDrag();
    if (!d.started) {
      // A click: the handle keeps the focus, ready for the keyboard.
      if (refreshWanted) refresh();
      return;
    }
    const t = d.target;
    if (!t) {
      hideGhost();
      say('Dropped outside the grid: nothing changed.', 'info');
      if (refreshWanted) refresh();
      return;
    }
    if (t.off) {
      unschedule(d.subject);
      return;
    }
    const ghost = grid()?.querySelector('.ed-ghost');
    if (ghost) ghost.classList.add('ed-saving');
    commit(d.subject, t.roomId, t.start, t.duration);
  });

  root.addEventListener('pointercancel', (e) => {
    if (!drag || e.pointerId !== drag.pointer) return;
    endDrag();
    hideGhost();
    if (refreshWanted) refresh();
  });

  // A link or button that was dragged must not also be clicked.
  root.addEventListener(
    'click',
    (e) => {
      if (root.classList.contains('ed-is-dragging')) e.preventDefault();
    },
    true,
  );

  // --- keyboard ---------------------------------------------------------------------------------------

  function describe(t) {
    return `${hhmm(t.start)} to ${hhmm(t.start + t.duration)}, ${t.roomId === null ? 'every room' : roomName(t.roomId)}`;
  }

  function startPick(subject) {
    if (!mayEdit(subject.trackId)) return say(`You may not move "${subject.title}" (it is not in one of your tracks).`, 'error');
    const first = state.rooms.length ? state.rooms[0].id : null;
    let start = subject.start;
    if (start === null) start = clampStart(Math.max(state.range.from, 9 * 60), subject.duration);
    const roomId = subject.placed ? subject.roomId : subject.roomId !== null && state.rooms.some((r) => r.id === subject.roomId) ? subject.roomId : first;
    pick = { subject, target: { roomId, start, duration: subject.duration, title: subject.title } };
    showGhost(pick.target);
    say(
      `Picked up "${subject.title}": ${describe(pick.target)}. Arrow keys move it by ${grain} minutes or one room, Shift with Up or Down changes its length, Enter drops it, Escape cancels.`,
      'info',
    );
  }

  function movePick(key, shift) {
    const t = pick.target;
    if (shift && (key === 'ArrowUp' || key === 'ArrowDown')) {
      t.duration = Math.max(grain, t.duration + (key === 'ArrowDown' ? grain : -grain));
      t.duration = Math.min(t.duration, 24 * 60);
    } else if (key === 'ArrowUp' || key === 'ArrowDown') {
      t.start = clampStart(t.start + (key === 'ArrowDown' ? grain : -grain), t.duration);
    } else {
      const ids = [null, ...state.rooms.map((r) => r.id)];
      const i = ids.indexOf(t.roomId);
      const next = Math.max(0, Math.min(ids.length - 1, i + (key === 'ArrowRight' ? 1 : -1)));
      t.roomId = ids[next];
    }
    showGhost(t);
    say(describe(t), 'info');
  }

  function dropPick() {
    const p = pick;
    pick = null;
    const t = p.target;
    const ghost = grid()?.querySelector('.ed-ghost');
    if (ghost) ghost.classList.add('ed-saving');
    const s = p.subject;
    if (s.placed && t.duration !== s.duration && (t.roomId !== s.roomId || t.start !== s.start)) {
      // Moved and resized: two moves, each undoable.
      return commit(s, t.roomId, t.start, s.duration).then((answer) => {
        if (!answer) return null;
        const moved = subjectOf('session', s.id);
        return moved ? commit(moved, moved.roomId, moved.start, t.duration) : null;
      });
    }
    return commit(s, t.roomId, t.start, t.duration);
  }

  function cancelPick() {
    const p = pick;
    pick = null;
    hideGhost();
    say(`Cancelled: "${p.subject.title}" stays where it was.`, 'info');
    if (refreshWanted) refresh();
  }

  root.addEventListener('keydown', (e) => {
    const inField = e.target.closest('input, select, textarea');
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && !inField) {
      e.preventDefault();
      if (!saving) undoLast();
      return;
    }
    if (pick) {
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        movePick(e.key, e.shiftKey);
      } else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        dropPick();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        cancelPick();
      } else if (e.key === 'Tab') {
        cancelPick();
      }
      return;
    }
    const handle = e.target.closest('.ed-handle, .ed-card-handle');
    if (!handle || saving) return;
    const item = handle.closest('.ed-item');
    const subject = item
      ? subjectOf('session', +item.getAttribute('data-id'))
      : subjectOf(handle.getAttribute('data-pool-kind'), +handle.getAttribute('data-pool-id'));
    if (!subject) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      startPick(subject);
    } else if ((e.key === 'p' || e.key === 'P') && !e.ctrlKey && !e.metaKey && !e.altKey && item) {
      e.preventDefault();
      togglePin(subject.id);
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && item) {
      e.preventDefault();
      if (!mayEdit(subject.trackId)) return say(`You may not move "${subject.title}".`, 'error');
      unschedule(subject);
    }
  });

  // --- the rest of the page ---------------------------------------------------------------------------

  if (undoButton) {
    undoButton.hidden = false;
    undoButton.addEventListener('click', () => {
      if (!saving) undoLast();
    });
  }

  // Pin buttons: sent as a move (JSON), not as the form post the page falls back to.
  root.addEventListener('submit', (e) => {
    const form = e.target.closest('.ed-pinform');
    if (!form) return;
    e.preventDefault();
    if (saving || drag || pick) return;
    const item = form.closest('.ed-item');
    if (item) togglePin(+item.getAttribute('data-id'));
  });

  // Warning links focus the session they name.
  warningsSection.addEventListener('click', (e) => {
    const a = e.target.closest('a.ed-wlink[href^="#session-"]');
    if (!a) return;
    const el = document.querySelector(`${a.getAttribute('href')} .ed-handle`);
    if (!el) return;
    e.preventDefault();
    el.scrollIntoView({ block: 'center', inline: 'center' });
    el.focus();
  });

  function setUrl() {
    const q = new URLSearchParams();
    q.set('day', state.day);
    if (grain !== 15) q.set('grain', String(grain));
    if (condensed) q.set('condensed', '1');
    history.replaceState(null, '', `${urls.page}?${q.toString()}`);
  }

  if (toolbar) {
    const apply = toolbar.querySelector('.ed-apply');
    if (apply) apply.hidden = true;
    toolbar.addEventListener('change', (e) => {
      if (e.target.name === 'grain') grain = +e.target.value || 15;
      if (e.target.name === 'condensed') condensed = e.target.checked;
      root.setAttribute('data-grain', String(grain));
      setUrl();
      renderAll();
    });
    toolbar.addEventListener('submit', (e) => e.preventDefault());
  }

  if (filterForm) {
    filterForm.addEventListener('input', renderPool);
    filterForm.addEventListener('change', renderPool);
    filterForm.addEventListener('submit', (e) => {
      e.preventDefault();
      renderPool();
    });
  }

  daysNav.addEventListener('click', async (e) => {
    const a = e.target.closest('a[data-day]');
    if (!a || drag || pick || saving) return;
    e.preventDefault();
    const res = await fetch(`${urls.state}?day=${encodeURIComponent(a.getAttribute('data-day'))}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return;
    state = await res.json();
    setUrl();
    renderAll();
    say(`Showing ${state.day}.`, 'info');
  });

  // The server rendered this very state with the same markup: adopt it, colour it, listen.
  colourItems();
  root.setAttribute('data-version', String(state.version));
  updateUndo();
  listen();
  root.setAttribute('data-ready', '1');
  if (window.performance && performance.mark) performance.mark('editor-ready');
})();
