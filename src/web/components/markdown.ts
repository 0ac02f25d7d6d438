import { randomBytes } from 'node:crypto';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { createAnchorSlugger } from '../../modules/agenda/agenda.js';

/**
 * Organiser- and speaker-written Markdown (event descriptions, abstracts, bios) as safe HTML.
 * marked turns Markdown into HTML (raw HTML in the source passes through it), then sanitize-html
 * keeps only a strict allow-list: no script/style/iframe/form, no event-handler or style
 * attributes, links only to http(s)/mailto (with rel="nofollow noopener"). Images load only over
 * https from this instance's own origin or a host in MARKDOWN_IMAGE_HOSTS (allowMarkdownImagesFrom);
 * any other image becomes a link to it, so a public page never makes its readers' browsers call a
 * stranger's server (tracking pixels). Headings move one level down so a description's "#" never
 * competes with the page's h1.
 */
const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'strong',
    'b',
    'em',
    'i',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'sup',
    'sub',
    'abbr',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    abbr: ['title'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An image must be an absolute https URL (no relative or data: sources). (An image turned into
  // a link below keeps its frame's tag name but has an href instead.)
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.href && !/^https:\/\//i.test(frame.attribs.src ?? ''),
  // Text of removed script/style/textarea/option elements is dropped, not shown.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template'],
  transformTags: {
    h1: 'h2',
    h2: 'h3',
    h3: 'h4',
    h4: 'h5',
    h5: 'h6',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener' } }),
    img: (tagName, attribs): sanitizeHtml.Tag =>
      imageAllowed(attribs.src ?? '') || !/^https:\/\//i.test(attribs.src ?? '')
        ? { tagName, attribs: { ...attribs, alt: attribs.alt ?? '' } }
        : { tagName: 'a', attribs: { href: attribs.src ?? '', rel: 'nofollow noopener' }, text: attribs.alt || attribs.src || '' },
  },
};

let imageOrigins: ReadonlySet<string> = new Set();

/**
 * Where Markdown images may load from: the instance's origin (BASE_URL) and the hosts listed in
 * MARKDOWN_IMAGE_HOSTS, over https only. Set once per process by buildApp (the setting is the
 * instance's, like the Markdown cache it feeds); until then no image is shown inline.
 */
export function allowMarkdownImagesFrom(baseUrl: string, hosts: readonly string[]): void {
  imageOrigins = new Set([new URL(baseUrl).origin, ...hosts.map((h) => `https://${h}`)]);
}

function imageAllowed(src: string): boolean {
  return URL.canParse(src) && new URL(src).protocol === 'https:' && imageOrigins.has(new URL(src).origin);
}

export interface MarkdownOptions {
  /**
   * Give headings GitHub-style ids (createAnchorSlugger over each heading's text, in document
   * order), so in-document links such as a recap's table of contents jump. Pass a slugger to
   * continue one that has already seen earlier headings (a title rendered outside the Markdown).
   */
  readonly headingIds?: boolean | ((heading: string) => string);
  /** Keep h2–h6 as written (only h1 moves down to h2): for documents that are the page itself. */
  readonly keepHeadingLevels?: boolean;
}

/**
 * Markdown to sanitised HTML; '' for blank input.
 *
 * With `headingIds`, only ids this renderer generated survive: each carries a random per-call
 * prefix that the sanitiser checks and strips, so an `id` written in raw HTML by the author (to
 * clobber a page element, say) is still removed like any other attribute.
 */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  if (!markdown.trim()) return '';
  if (!options.headingIds && !options.keepHeadingLevels) return sanitizeHtml(marked.parse(markdown) as string, SANITIZE);
  const slug = typeof options.headingIds === 'function' ? options.headingIds : options.headingIds ? createAnchorSlugger() : null;
  const nonce = `hw${randomBytes(8).toString('hex')}-`;
  const renderer = new Marked({
    gfm: true,
    breaks: false,
    async: false,
    renderer: {
      heading({ tokens, depth }) {
        const inner = this.parser.parseInline(tokens);
        const id = slug ? slug(textContent(inner)) : '';
        return `<h${depth}${id ? ` id="${nonce}${escapeAttr(id)}"` : ''}>${inner}</h${depth}>\n`;
      },
    },
  });
  const heading = (to: string) => (_tag: string, attribs: sanitizeHtml.Attributes) => {
    const out: sanitizeHtml.Attributes = {};
    if (attribs.id?.startsWith(nonce) && attribs.id.length > nonce.length) out.id = attribs.id.slice(nonce.length);
    return { tagName: to, attribs: out };
  };
  const levels = options.keepHeadingLevels ? ['h2', 'h2', 'h3', 'h4', 'h5', 'h6'] : ['h2', 'h3', 'h4', 'h5', 'h6', 'h6'];
  return sanitizeHtml(renderer.parse(markdown) as string, {
    ...SANITIZE,
    allowedAttributes: { ...SANITIZE.allowedAttributes, h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'] },
    transformTags: {
      ...SANITIZE.transformTags,
      h1: heading(levels[0]!),
      h2: heading(levels[1]!),
      h3: heading(levels[2]!),
      h4: heading(levels[3]!),
      h5: heading(levels[4]!),
      h6: heading(levels[5]!),
    },
  });
}

/** The text of an inline HTML fragment as a browser shows it (tags dropped, entities decoded). */
function textContent(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_m, e: string) => {
      const k = e.toLowerCase();
      if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
      if (k.startsWith('#')) return String.fromCodePoint(Number(k.slice(1)));
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[k] ?? '';
    })
    .replace(/\s+/g, ' ')
    .trim();
}

const escapeAttr = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
