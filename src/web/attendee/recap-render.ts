import { XMLBuilder } from 'fast-xml-parser';
import { createAnchorSlugger } from '../../modules/agenda/agenda.js';
import type { RecapListItem } from '../../modules/agenda/recap.queries.js';
import { esc } from '../components/html.js';
import { renderMarkdown } from '../components/markdown.js';

/*
 * A recap's Markdown as HTML for its public page and the .html export, and the event's Atom
 * feed of published recaps.
 */

/**
 * The recap's body (everything after its "# Title" line) as sanitised HTML whose headings carry
 * the same GitHub-style ids the Markdown's table of contents and "back" links point to. The
 * title is shown by the page as its h1, so the slugger sees it first, as in recapMarkdown.
 */
export function recapBodyHtml(title: string, markdown: string): string {
  const slug = createAnchorSlugger();
  slug(title.replace(/\s+/g, ' ').trim());
  const firstBreak = markdown.indexOf('\n\n');
  const rest = markdown.startsWith('# ') && firstBreak >= 0 ? markdown.slice(firstBreak + 2) : markdown;
  return renderMarkdown(rest, { headingIds: slug, keepHeadingLevels: true });
}

/** A standalone HTML document of a recap (the .html export): no scripts, no external files. */
export function recapHtmlDocument(recap: { title: string; authorName: string }, eventTitle: string, markdown: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(recap.title)}</title>`,
    '</head>',
    '<body>',
    '<article>',
    `<h1>${esc(recap.title)}</h1>`,
    `<p>By ${esc(recap.authorName)} · ${esc(eventTitle)}</p>`,
    recapBodyHtml(recap.title, markdown),
    '</article>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, processEntities: true, suppressEmptyNode: true });

/** Characters XML 1.0 does not allow at all (escaping cannot help): removed. */
const xmlText = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

/**
 * The Atom 1.0 feed (RFC 4287) of an event's published recaps, newest first. Every text goes
 * through the builder's entity escaping; ids are the permalinks (stable: a recap keeps its slug).
 * Each entry carries the whole recap as `<content type="html">`: the same sanitised HTML as its
 * public page (escaped once more as XML text, as type="html" requires), so feed readers show
 * the full post, not only the summary (xml:base makes its "#section" links point into the
 * permalink). Every entry has its own author (the feed has none).
 */
export function recapsAtom(input: {
  eventTitle: string;
  feedUrl: string;
  listUrl: string;
  updatedAt: string;
  recaps: ReadonlyArray<RecapListItem & { readonly markdown?: string }>;
  permalink: (slug: string) => string;
}): string {
  const updated = input.recaps.reduce((max, r) => (r.updatedAt > max ? r.updatedAt : max), input.updatedAt);
  const entries = input.recaps
    .filter((r) => r.slug !== null)
    .map((r) => {
      const url = input.permalink(r.slug!);
      return {
        id: url,
        title: { '@_type': 'text', '#text': xmlText(r.title) },
        link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': url },
        author: { name: xmlText(r.authorName) },
        published: r.publishedAt ?? r.updatedAt,
        updated: r.updatedAt,
        ...(r.summary ? { summary: { '@_type': 'text', '#text': xmlText(r.summary) } } : {}),
        ...(r.markdown !== undefined ? { content: { '@_type': 'html', '@_xml:base': url, '#text': xmlText(recapBodyHtml(r.title, r.markdown)) } } : {}),
      };
    });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      id: input.feedUrl,
      title: { '@_type': 'text', '#text': xmlText(`Recaps of ${input.eventTitle}`) },
      updated,
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': input.feedUrl },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': input.listUrl },
      ],
      generator: 'Hallway',
      entry: entries,
    },
  }) as string;
}
