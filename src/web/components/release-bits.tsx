import { CHANGE_LABELS, type Placement, type ReleaseChange } from '../../modules/schedule/release.js';
import { attrText } from './html.js';
import { formatDayMedium, formatDayShort, type LocalClock } from './time-format.js';

/*
 * How a release's changes read on the public changelog (and its Atom feed): "Moved: <title>,
 * from Main Hall, Thu 15 Apr 10:00 to Lab, Thu 15 Apr 11:30", in the event's zone. The title is
 * the part that links to the session; everything else is plain text.
 */

/** Where a session was or is: "Main Hall, Thu 15 Apr 10:00" (no room: the time only). */
export function placementText(p: Placement, clock: LocalClock): string {
  const t = clock.at(p.startsAt);
  return `${p.roomName ? `${p.roomName}, ` : ''}${formatDayShort(t.date)} ${t.hhmm}`;
}

/** What follows the title in a change line: ", from A to B", " (was A)", ", now Ada Lovelace". */
export function changeDetail(c: ReleaseChange, clock: LocalClock, speakerName: (id: number) => string): string {
  switch (c.kind) {
    case 'new':
    case 'restored':
      return c.to ? `, ${placementText(c.to, clock)}` : '';
    case 'moved':
    case 'room':
      return c.from && c.to ? `, from ${placementText(c.from, clock)} to ${placementText(c.to, clock)}` : '';
    case 'cancelled':
    case 'removed': {
      const was = c.from ?? c.to;
      return was ? ` (was ${placementText(was, clock)})` : '';
    }
    case 'speakers': {
      const names = (c.speakersAfter ?? []).map(speakerName);
      return names.length ? `, now ${names.join(', ')}` : ', now without speakers';
    }
  }
}

/** When a release was made, in the event's zone: the `datetime` value and "Thu 15 April 2027, 10:30 CEST". */
export function releasedWhen(instant: string, clock: LocalClock): { datetime: string; text: string } {
  const t = clock.at(instant);
  return { datetime: t.datetime, text: `${formatDayMedium(t.date)}, ${t.hhmm} ${clock.abbreviation(t.ms)}` };
}

/** One change as list-item content: the kind, the title (a link while the session is public), the details. */
export function ChangeLine(p: { change: ReleaseChange; title: string; href?: string; detail: string }): JSX.Element {
  const c = p.change;
  return (
    <>
      <strong class={`change-kind change-${c.kind}`} safe>
        {CHANGE_LABELS[c.kind]}
      </strong>
      {': '}
      {p.href ? (
        <a href={attrText(p.href)} safe>
          {p.title}
        </a>
      ) : (
        <span safe>{p.title}</span>
      )}
      <span safe>{p.detail}</span>
    </>
  );
}
