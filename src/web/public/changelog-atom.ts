import { XMLBuilder } from 'fast-xml-parser';
import { nameBasedUuid } from '../../lib/guid.js';
import { CHANGE_LABELS } from '../../modules/schedule/release.js';
import type { ReleaseWithChanges } from '../../modules/schedule/release.queries.js';
import type { ProgramSnapshot } from '../../modules/schedule/snapshot.js';
import { esc, paths } from '../components/html.js';
import { changeDetail } from '../components/release-bits.js';
import { LocalClock } from '../components/time-format.js';

/*
 * The Atom 1.0 feed (RFC 4287) of an event's programme releases: one entry per release, newest
 * first, its content the comment and the list of changes as HTML (`type="html"`).
 *
 * Organizers' and speakers' text (release name, comment, titles, names) never becomes markup: in
 * the entry content it is HTML-escaped first (esc) and the builder then escapes the whole HTML as
 * XML text, so a reader decoding the XML finds `&lt;script&gt;`, text; elsewhere it is XML text
 * the builder escapes (& < > " ' become references, so a text holding "&amp;" is never read as an
 * entity). Characters XML 1.0 forbids are dropped (the actions already refuse control characters).
 * Entry ids are name-based UUIDs of the site, the event's id and the release's id: stable when
 * the event's slug, a title or a release's name changes, and never reused.
 */

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  processEntities: true,
  suppressEmptyNode: true,
  // An attribute whose value is "true" stays an attribute with a value (valid XML).
  suppressBooleanAttributes: false,
});

const xmlText = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

/** Most changes one entry lists (a first release lists every session); the page has them all. */
const MAX_ENTRY_CHANGES = 200;

export function changelogAtom(input: { baseUrl: string; snap: ProgramSnapshot; releases: readonly ReleaseWithChanges[]; updatedAt: string }): string {
  const { baseUrl, snap, releases } = input;
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const pageUrl = `${baseUrl}${paths.event(e.slug)}/changelog`;
  const feedUrl = `${pageUrl}.atom`;
  const sessions = new Map(snap.sessions.map((s) => [s.id, s]));
  const speakerName = (id: number) => snap.speakerById.get(id)?.name ?? 'a speaker no longer listed';

  const entries = releases.map((r) => {
    const lines = r.changes.slice(0, MAX_ENTRY_CHANGES).map((c) => {
      const now = sessions.get(c.sessionId);
      const title = esc(now?.title ?? c.title);
      const named = now ? `<a href="${esc(`${baseUrl}${paths.session(e.slug, now.code)}`)}">${title}</a>` : title;
      return `<li><strong>${esc(CHANGE_LABELS[c.kind])}</strong>: ${named}${esc(changeDetail(c, clock, speakerName))}</li>`;
    });
    const more = r.changes.length - lines.length;
    const html = [
      r.comment ? `<p>${esc(r.comment)}</p>` : '',
      lines.length ? `<ul>${lines.join('')}</ul>` : '<p>No session changed in this version.</p>',
      more > 0 ? `<p>And ${more} more: see the changelog.</p>` : '',
    ].join('');
    const link = `${pageUrl}#release-${r.number}`;
    return {
      id: `urn:uuid:${nameBasedUuid(`${baseUrl}|event:${e.id}|release:${r.id}`)}`,
      title: { '@_type': 'text', '#text': xmlText(`Version ${r.name}`) },
      link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': link },
      published: r.releasedAt,
      updated: r.releasedAt,
      ...(r.comment ? { summary: { '@_type': 'text', '#text': xmlText(r.comment) } } : {}),
      content: { '@_type': 'html', '#text': xmlText(html) },
    };
  });
  const updated = releases[0]?.releasedAt ?? input.updatedAt;
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      id: `urn:uuid:${nameBasedUuid(`${baseUrl}|event:${e.id}|changelog`)}`,
      title: { '@_type': 'text', '#text': xmlText(`Programme changes of ${e.title}`) },
      updated,
      author: { name: xmlText(snap.community.name) },
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': feedUrl },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': pageUrl },
      ],
      generator: 'Hallway',
      entry: entries,
    },
  }) as string;
}
