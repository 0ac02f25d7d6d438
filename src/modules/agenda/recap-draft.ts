import { DateTime } from 'luxon';
import { LINK_KINDS, SERVICE_KINDS, type LinkKind } from '../program/session.js';
import type { ProgramSnapshot, Session, Speaker } from '../schedule/snapshot.js';
import { HANDLE_KINDS, handleLabel, handleUrl } from '../speakers/speaker.js';
import { createAnchorSlugger } from './agenda.js';

/*
 * A recap as data, and its Markdown. Pure: the same recap and programme give the same text.
 *
 * The stored recap is structured (title, introduction, ordered sections with the attendee's
 * notes and Q&A); what comes from the programme (a session's current title, speakers with their
 * job title, company and handles, time, room, slides and video links) is filled in when the
 * Markdown is made, so a recap follows later changes (links added after the event, a renamed
 * talk). The table of contents and the "back" links are generated, so they are always right,
 * whatever order the attendee puts the sections in.
 *
 * Anchors are GitHub-style heading ids (see createAnchorSlugger): the exported Markdown works
 * as-is on GitHub, GitLab, Hugo, Jekyll…; Hallway's renderer must give headings the same ids.
 */

export const TOC_HEADING = 'List of talks';
export const BACK_LINK_TEXT = '↑ Back to the list of talks';
const LOCALE = 'en-GB';

export interface RecapSectionDraft {
  /** Null when the session was deleted from the programme after the section was written. */
  readonly sessionId: number | null;
  /** The session's title when written; shown only when the session is gone. */
  readonly title: string;
  /** Markdown. */
  readonly notes: string;
  /** Markdown. */
  readonly qa: string;
}

export interface RecapDraft {
  readonly title: string;
  /** Markdown. */
  readonly introduction: string;
  /** In the recap's order. */
  readonly sections: readonly RecapSectionDraft[];
}

/** A note as the draft builder needs it. */
export interface DraftNote {
  readonly body: string;
  readonly qa: string;
}

/**
 * The first draft of a recap: one section per attended session (starred or with a non-blank
 * note) in chronological order, each carrying the note and its Q&A. Breaks, meals and the like
 * count only with a note; cancelled sessions likewise. `day` keeps one programme day.
 */
export function buildRecapDraft(
  snap: ProgramSnapshot,
  attended: { readonly starred: ReadonlySet<number>; readonly notes: ReadonlyMap<number, DraftNote> },
  options: { readonly day?: string } = {},
): RecapDraft {
  const hasNote = (id: number) => {
    const n = attended.notes.get(id);
    return n !== undefined && (n.body.trim() !== '' || n.qa.trim() !== '');
  };
  const sessions = snap.sessions.filter(
    (s) =>
      (options.day === undefined || s.day === options.day) &&
      (hasNote(s.id) || (attended.starred.has(s.id) && s.status === 'confirmed' && !SERVICE_KINDS.has(s.kind))),
  );
  // snapshot order is by start, then room: chronological.
  const sections = sessions.map((s) => ({
    sessionId: s.id,
    title: s.title,
    notes: attended.notes.get(s.id)?.body.trim() ?? '',
    qa: attended.notes.get(s.id)?.qa.trim() ?? '',
  }));
  const dayIndex = options.day === undefined ? -1 : snap.days.indexOf(options.day);
  const title =
    options.day === undefined
      ? `My recap of ${snap.event.title}`
      : `My recap of ${snap.event.title}, day ${dayIndex + 1} (${DateTime.fromISO(options.day, { zone: 'utc' }).setLocale(LOCALE).toFormat('cccc d LLLL yyyy')})`;
  const n = sections.length;
  const introduction = `Notes from the ${n === 1 ? 'session' : `${n} sessions`} I attended at ${snap.event.title}${
    options.day === undefined ? '' : ` on ${DateTime.fromISO(options.day, { zone: 'utc' }).setLocale(LOCALE).toFormat('cccc d LLLL')}`
  }.`;
  return { title, introduction, sections };
}

/**
 * The recap as one Markdown document:
 *
 *     # Title
 *     introduction
 *     ## List of talks            (numbered links to each section)
 *     ## Session title            (per section, in the recap's order)
 *     speakers (name, job title and company, handles), when and where, slides/video links
 *     notes
 *     ### Q&A                     (when there is one)
 *     [↑ Back to the list of talks](#list-of-talks)
 *
 * `snap` is the event's current programme (null: use only what the recap stores).
 */
export function recapMarkdown(recap: RecapDraft, snap: ProgramSnapshot | null): string {
  const slug = createAnchorSlugger();
  const blocks: string[] = [];
  slug(plain(recap.title));
  blocks.push(`# ${inline(recap.title)}`);
  const intro = recap.introduction.trim();
  if (intro) {
    headingsOf(intro).forEach(slug);
    blocks.push(intro);
  }
  const tocAnchor = slug(TOC_HEADING);
  const toc: string[] = [];
  const bodies: string[] = [];
  recap.sections.forEach((section, i) => {
    const session = section.sessionId === null ? undefined : snap?.sessions.find((s) => s.id === section.sessionId);
    const title = session?.title ?? section.title;
    const anchor = slug(plain(title));
    toc.push(`${i + 1}. [${inline(title)}](#${anchor})`);
    const parts: string[] = [`## ${inline(title)}`];
    if (session && snap) parts.push(...sessionFacts(snap, session));
    const notes = section.notes.trim();
    if (notes) {
      headingsOf(notes).forEach(slug);
      parts.push(notes);
    }
    const qa = section.qa.trim();
    if (qa) {
      slug('Q&A');
      parts.push('### Q&A');
      headingsOf(qa).forEach(slug);
      parts.push(qa);
    }
    parts.push(`[${BACK_LINK_TEXT}](#${tocAnchor})`);
    bodies.push(parts.join('\n\n'));
  });
  blocks.push(`## ${TOC_HEADING}`);
  blocks.push(toc.length ? toc.join('\n') : '_No talks yet._');
  blocks.push(...bodies);
  return `${blocks.join('\n\n')}\n`;
}

/** Speakers, time and place, links: the lines under a section's heading. */
function sessionFacts(snap: ProgramSnapshot, s: Session): string[] {
  const out: string[] = [];
  const speakers = s.speakerIds.map((id) => snap.speakerById.get(id)).filter((x): x is Speaker => x !== undefined);
  if (speakers.length) out.push(speakers.map((sp) => `- ${speakerLine(sp)}`).join('\n'));
  const zone = snap.event.timeZone;
  const start = DateTime.fromISO(s.startsAt, { zone: 'utc' }).setZone(zone).setLocale(LOCALE);
  const end = DateTime.fromISO(s.endsAt, { zone: 'utc' }).setZone(zone).setLocale(LOCALE);
  const room = s.roomId === null ? undefined : snap.roomById.get(s.roomId)?.name;
  const when = `${start.toFormat('cccc d LLLL yyyy, HH:mm')}–${end.toFormat('HH:mm')} ${start.toFormat('ZZZZ')}`;
  out.push(`_${[when, room ? inline(room) : '', s.status === 'cancelled' ? 'cancelled' : ''].filter(Boolean).join(' · ')}_`);
  const links = [...s.links].sort((a, b) => LINK_KINDS.indexOf(a.kind) - LINK_KINDS.indexOf(b.kind));
  if (links.length) out.push(links.map((l) => `[${inline(l.title || LINK_LABELS[l.kind])}](${destination(l.url)})`).join(' · '));
  return out;
}

/** `**Name**, Job title, Company · [@handle](url)` */
export function speakerLine(sp: Speaker): string {
  const affiliation = [sp.jobTitle, sp.company]
    .map((x) => x.trim())
    .filter(Boolean)
    .map(inline);
  const handles = HANDLE_KINDS.filter((k) => sp.handles[k]).map(
    (k) => `[${inline(handleLabel(k, sp.handles[k]!))}](${destination(handleUrl(k, sp.handles[k]!))})`,
  );
  return [`**${inline(sp.name)}**${affiliation.length ? `, ${affiliation.join(', ')}` : ''}`, ...handles].join(' · ');
}

const LINK_LABELS: Record<LinkKind, string> = { slides: 'Slides', video: 'Video', recording: 'Recording', code: 'Code', website: 'Website', other: 'Link' };

const plain = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Plain text placed inline in Markdown: characters that would start markup are escaped. */
export function inline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>#|!])/g, '\\$1');
}

/** A link destination: spaces and parentheses percent-encoded so the link cannot end early. */
function destination(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => encodeURIComponent(c));
}

/** The ATX headings of a Markdown text, outside fenced code (they take anchors too). */
function headingsOf(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) out.push(h[1]!.replace(/[*_`]/g, ''));
  }
  return out;
}

/**
 * One line of plain text for a feed or a list: the introduction's first paragraph, Markdown
 * markers removed, at most `max` characters.
 */
export function recapSummary(introduction: string, max = 280): string {
  const para = introduction.trim().split(/\n\s*\n/)[0] ?? '';
  const text = para
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~]/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
