import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { esc } from './html.js';
import { interestSlotHtml, starButtonHtml, starrable } from './star-button.js';
import { badgesHtml, isService, itemClasses, roomName, speakersHtml, sponsorHtml, timeRangeHtml, titleHtml, trackHtml } from './session-bits.js';
import type { LocalClock } from './time-format.js';

/**
 * A programme day as a list grouped by start time: the phone-friendly view of a conference
 * (one column, nothing to scroll sideways), and the fallback when a day has too many rooms for
 * the grid.
 */
export function renderScheduleList(snap: ProgramSnapshot, sessions: readonly Session[], clock: LocalClock): string {
  if (sessions.length === 0) return '';
  const out: string[] = ['<div class="timeslots">'];
  let open = '';
  let group = 0;
  for (const s of sessions) {
    const a = clock.at(s.startsAt);
    if (s.startsAt !== open) {
      if (open !== '') out.push('</ul></section>');
      open = s.startsAt;
      const id = `at-${++group}`;
      out.push(
        `<section class="timeslot" aria-labelledby="${id}"><h3 class="timeslot-time" id="${id}"><time datetime="${a.datetime}">${a.hhmm}</time></h3><ul class="items">`,
      );
    }
    const b = clock.at(s.endsAt);
    const room = roomName(snap, s);
    const speakers = speakersHtml(snap, s, true);
    const sponsor = sponsorHtml(snap, s);
    const track = trackHtml(snap, s);
    out.push(
      `<li class="item ${itemClasses(snap, s)}">` +
        `<h4 class="item-title">${titleHtml(snap, s)}</h4>` +
        `<p class="item-when">${timeRangeHtml(a, b)}${room ? ` · ${esc(room)}` : ''}</p>` +
        (speakers ? `<p class="item-speakers">${speakers}</p>` : '') +
        (sponsor ? `<p class="item-sponsor">${sponsor}</p>` : '') +
        `<p class="item-meta">${badgesHtml(s)}${track ? ` ${track}` : ''}</p>` +
        (starrable(s, isService(s)) ? starButtonHtml(s, true) + interestSlotHtml(snap.event, s) : '') +
        `</li>`,
    );
  }
  out.push('</ul></section></div>');
  return out.join('');
}

/**
 * A meetup's evening as an agenda: "18:00 Doors open", "18:20 Opening remarks — Joost", "19:10
 * Pizza break — thanks to Lumenfold", in time order.
 */
export function renderAgenda(snap: ProgramSnapshot, sessions: readonly Session[], clock: LocalClock): string {
  if (sessions.length === 0) return '';
  const out: string[] = ['<ol class="agenda">'];
  for (const s of sessions) {
    const a = clock.at(s.startsAt);
    const b = clock.at(s.endsAt);
    const speakers = speakersHtml(snap, s, true);
    const sponsor = sponsorHtml(snap, s);
    const service = isService(s);
    out.push(
      `<li class="agenda-item ${itemClasses(snap, s)}">` +
        `<p class="agenda-time"><time datetime="${a.datetime}">${a.hhmm}</time><span class="vh"> to </span><span class="agenda-end" aria-hidden="true">–</span><time class="agenda-end" datetime="${b.datetime}">${b.hhmm}</time></p>` +
        `<div class="agenda-body">` +
        `<p class="agenda-title">${titleHtml(snap, s)}${speakers ? ` <span class="agenda-by">— ${speakers}</span>` : ''}${sponsor ? ` <span class="agenda-by">— ${sponsor}</span>` : ''}</p>` +
        (service ? '' : `<p class="item-meta">${badgesHtml(s)}${trackHtml(snap, s) ? ` ${trackHtml(snap, s)}` : ''}</p>`) +
        (service && s.status === 'cancelled' ? `<p class="item-meta">${badgesHtml(s)}</p>` : '') +
        (starrable(s, service) ? starButtonHtml(s, true) + interestSlotHtml(snap.event, s) : '') +
        `</div></li>`,
    );
  }
  out.push('</ol>');
  return out.join('');
}
