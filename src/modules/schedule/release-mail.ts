import type { Config } from '../../config.js';
import { localLabel } from '../events/event-dates.js';
import type { EventRow } from '../events/event.table.js';
import type { Trx } from '../events/event-write.queries.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import { compose } from '../mail/templates.js';
import type { Clock } from '../../lib/clock.js';
import { renderSessionsCalendar } from '../../formats/ical.js';
import { sessionUrl } from '../../formats/frab-common.js';
import type { ProgramSnapshot } from './snapshot.js';
import { CHANGE_LABELS, NOTIFIED_KINDS, type ReleaseChange } from './release.js';
import { speakerAddresses } from './release.queries.js';

/** What release mails need besides the transaction: where links point, the outbox, the clock. */
export interface ReleaseMailContext {
  readonly config: Pick<Config, 'baseUrl' | 'smtpUrl' | 'database'>;
  readonly clock: Clock;
}

/** One speaker told about a release: the changes to their sessions, and where the mail goes (null: no address known). */
export interface SpeakerNotice {
  readonly speakerId: number;
  readonly name: string;
  readonly to: string | null;
  readonly changes: readonly ReleaseChange[];
}

/**
 * Who hears about a release: each speaker of a session that is new, moved, changed room, was
 * cancelled, restored or removed, with those changes (a speaker added to or dropped from a
 * session hears about it too). Speakers with nothing changed are not listed. Speakers without an
 * account have no address: listed with `to: null` so organizers see whom to tell by hand.
 */
export async function speakerNotices(trx: Trx, changes: readonly ReleaseChange[]): Promise<SpeakerNotice[]> {
  const bySpeaker = new Map<number, ReleaseChange[]>();
  const add = (id: number, c: ReleaseChange) => {
    const list = bySpeaker.get(id);
    if (!list) bySpeaker.set(id, [c]);
    else if (!list.includes(c)) list.push(c);
  };
  for (const c of changes) {
    if (NOTIFIED_KINDS.has(c.kind)) for (const id of [...(c.speakersAfter ?? []), ...(c.speakersBefore ?? [])]) add(id, c);
    if (c.kind === 'speakers') {
      const before = new Set(c.speakersBefore ?? []);
      const after = new Set(c.speakersAfter ?? []);
      for (const id of after) if (!before.has(id)) add(id, c);
      for (const id of before) if (!after.has(id)) add(id, c);
    }
  }
  const people = await speakerAddresses(trx, [...bySpeaker.keys()]);
  return people.map((p) => ({ speakerId: p.id, name: p.name, to: p.email ?? null, changes: bySpeaker.get(p.id)! }));
}

/** A changelog line in words: "Moved: "Title", from Room A, Thu 15 Apr 10:30 to Room B, Fri 16 Apr 11:00". */
export function describeChange(c: ReleaseChange, zone: string, speakerName: (id: number) => string = String): string {
  const where = (p: { roomName: string; startsAt: string }) => `${p.roomName ? `${p.roomName}, ` : ''}${localLabel(p.startsAt, zone)}`;
  const title = `"${c.title}"`;
  switch (c.kind) {
    case 'new':
    case 'restored':
      return `${CHANGE_LABELS[c.kind]}: ${title}, ${where(c.to!)}`;
    case 'moved':
    case 'room':
      return `${CHANGE_LABELS[c.kind]}: ${title}, from ${where(c.from!)} to ${where(c.to!)}`;
    case 'cancelled':
      return `${CHANGE_LABELS[c.kind]}: ${title}${c.from ? ` (was ${where(c.from)})` : ''}`;
    case 'removed':
      return `${CHANGE_LABELS[c.kind]}: ${title} (was ${where(c.from!)})`;
    case 'speakers':
      return `${CHANGE_LABELS[c.kind]}: ${title}, now ${(c.speakersAfter ?? []).map(speakerName).join(', ') || 'no speakers'}`;
  }
}

/**
 * Queues one mail per speaker with an address, listing their changes, with their sessions as
 * released (cancelled ones included, so calendars drop them) as an .ics attachment. `snap` is the
 * programme as just released. Side effect: outbox rows. Returns how many mails were queued.
 */
export async function queueReleaseMails(
  trx: Trx,
  ctx: ReleaseMailContext,
  event: EventRow,
  releaseName: string,
  notices: readonly SpeakerNotice[],
  snap: ProgramSnapshot,
): Promise<number> {
  let queued = 0;
  for (const n of notices) {
    if (!n.to) continue;
    const own = (snap.sessionsBySpeaker.get(n.speakerId) ?? []).filter((s) => s.status === 'confirmed' || n.changes.some((c) => c.sessionId === s.id));
    const content = compose(
      `Programme update for ${event.title}: ${n.changes.length === 1 ? '1 change' : `${n.changes.length} changes`} to your sessions`,
      `Hello ${n.name},`,
      [
        `The organizers of ${event.title} released version "${releaseName}" of the programme. What changed for you:`,
        ...n.changes.map((c) => describeChange(c, event.time_zone, (id) => snap.speakerById.get(id)?.name ?? 'a speaker')),
        ...own.slice(0, 1).map((s) => ({ link: sessionUrl(ctx.config.baseUrl, event.slug, s.code), label: 'Your session page' })),
        'The attached calendar file has your sessions as they are now. Questions? Reply to the organizers.',
      ],
    );
    const ics = renderSessionsCalendar(snap, own, ctx.config.baseUrl, `${event.title}: your sessions`);
    await enqueueMail(
      trx,
      ctx.config,
      {
        to: n.to,
        ...content,
        attachments: [{ filename: `${event.slug}-sessions.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
      },
      ctx.clock,
    );
    queued++;
  }
  return queued;
}
