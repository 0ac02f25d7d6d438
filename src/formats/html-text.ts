/**
 * Imported abstracts arrive as plain text, Markdown or HTML (FOSDEM escapes HTML in every
 * abstract). Hallway stores Markdown, which the web layer renders through a sanitiser, so HTML is
 * turned into the equivalent Markdown here: paragraphs, line breaks, lists, headings, emphasis,
 * code and http(s) links survive; every other tag is dropped, keeping its text. Nothing here has
 * to be safe on its own, but nothing here makes markup either: links are kept only for
 * http(s)/mailto targets.
 */

/** True when the text is HTML rather than Markdown or plain text (has block or break tags). */
export function looksLikeHtml(text: string): boolean {
  return /<\/(p|li|div|h[1-6]|ul|ol|blockquote|pre)\s*>|<br\s*\/?>|^\s*<(p|div|ul|ol|h[1-6])[\s>]/i.test(text);
}

/**
 * Line endings normalised (CRLF and lone CR to LF) and HTML converted to Markdown, unless the
 * text is known to be Markdown already (`markdown`: Hallway's own exports). Markdown keeps its
 * trailing double spaces, which are line breaks there.
 */
export function importText(text: string | undefined, markdown = false): string {
  if (!text) return '';
  const t = text.replace(/\r\n?/g, '\n');
  return (!markdown && looksLikeHtml(t) ? htmlToMarkdown(t) : t).trim();
}

const TOKEN = /<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1\s*>|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;

export function htmlToMarkdown(html: string): string {
  let out = '';
  let pre = 0;
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const hrefs: Array<string | null> = [];
  let last = 0;
  const text = (s: string) => {
    const decoded = decodeHtmlEntities(s);
    out += pre > 0 ? decoded : decoded.replace(/\s+/g, ' ');
  };
  for (const m of html.matchAll(TOKEN)) {
    text(html.slice(last, m.index));
    last = m.index + m[0].length;
    const tag = m[3]?.toLowerCase();
    if (!tag) continue; // comment, script or style: dropped with its content
    const closing = m[2] === '/';
    const attrs = m[4] ?? '';
    switch (tag) {
      case 'p':
      case 'div':
      case 'section':
      case 'table':
      case 'tr':
        out += '\n\n';
        break;
      case 'br':
        out += '\n';
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        out += closing ? '\n\n' : `\n\n${'#'.repeat(Number(tag[1]))} `;
        break;
      case 'ul':
      case 'ol':
        if (closing) lists.pop();
        else lists.push({ ordered: tag === 'ol', n: 0 });
        out += '\n\n';
        break;
      case 'li': {
        if (closing) break;
        const list = lists[lists.length - 1];
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        out += list?.ordered ? `\n${indent}${++list.n}. ` : `\n${indent}- `;
        break;
      }
      case 'strong':
      case 'b':
        if (pre === 0) out += '**';
        break;
      case 'em':
      case 'i':
        if (pre === 0) out += '*';
        break;
      case 'code':
        if (pre === 0) out += '`';
        break;
      case 'pre':
        pre += closing ? -1 : 1;
        out += closing ? '\n```\n\n' : '\n\n```\n';
        break;
      case 'blockquote':
        out += closing ? '\n\n' : '\n\n> ';
        break;
      case 'hr':
        out += '\n\n---\n\n';
        break;
      case 'td':
      case 'th':
        if (!closing) out += ' ';
        break;
      case 'img': {
        const alt = attribute(attrs, 'alt');
        if (alt) out += decodeHtmlEntities(alt);
        break;
      }
      case 'a': {
        if (!closing) {
          const href = decodeHtmlEntities(attribute(attrs, 'href') ?? '');
          const ok = pre === 0 && /^(https?:\/\/|mailto:)[^\s()<>]+$/i.test(href);
          hrefs.push(ok ? href : null);
          if (ok) out += '[';
        } else {
          const href = hrefs.pop();
          if (href) out += `](${href})`;
        }
        break;
      }
      default:
        break; // span, font, u, … : keep the text only
    }
  }
  text(html.slice(last));
  let fenced = false;
  return out
    .split('\n')
    .map((l) => {
      if (l === '```') fenced = !fenced;
      if (fenced) return l;
      // Leading spaces are HTML source indentation, except the nesting of list items made above.
      const rest = l.trimStart();
      return (/^(- |\d+\. )/.test(rest) ? l : rest).trimEnd();
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? (m[2] ?? m[3] ?? m[4]) : undefined;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  deg: '°',
  times: '×',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  shy: '',
};

/** Decodes the HTML entities real abstracts use; unknown ones are left as written. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}
