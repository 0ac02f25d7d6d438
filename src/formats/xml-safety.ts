import { ImportErrors } from '../modules/schedule/import.errors.js';

/**
 * The XML safety net in front of the parser. The parser is configured never to process entities
 * (so it cannot expand "billion laughs" or read files through external entities); these checks
 * refuse such documents outright with a clear message, bound the nesting depth, and decode the
 * only references XML defines without a DTD: the five predefined entities and character
 * references.
 */

/**
 * Refuses a DOCTYPE that declares entities or names an external DTD. A bare `<!DOCTYPE schedule>`
 * is harmless and allowed.
 *
 * @throws SCHEDULE_ENTITIES_REFUSED
 */
export function checkDoctype(xml: string): void {
  const at = xml.search(/<!DOCTYPE/i);
  if (at < 0) return;
  const prolog = xml.slice(at, endOfDoctype(xml, at));
  if (/<!ENTITY/i.test(prolog)) throw ImportErrors.entitiesRefused('entity declarations (<!ENTITY …>)');
  if (/^<!DOCTYPE\s+[^\s[>]+\s+(SYSTEM|PUBLIC)\b/i.test(prolog)) throw ImportErrors.entitiesRefused('an external DTD (SYSTEM/PUBLIC)');
}

/** Index just past the DOCTYPE starting at `at`, honouring an internal subset in [ ]. */
function endOfDoctype(xml: string, at: number): number {
  let inSubset = false;
  let quote = '';
  for (let i = at + 9; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') inSubset = true;
    else if (c === ']') inSubset = false;
    else if (c === '>' && !inSubset) return i + 1;
  }
  return xml.length;
}

/**
 * Refuses XML nested deeper than `limit` elements (a schedule is six levels deep); the object
 * tree the parser builds is recursive, so a crafted file could otherwise overflow the stack.
 *
 * One forward pass: every step moves strictly ahead, and anything unterminated (a comment, CDATA,
 * processing instruction, DOCTYPE or tag without its end) stops the scan, because the validator
 * that runs next reports it with its line. Searching again from the start after a missing `?>`
 * once made `<schedule><?x` loop forever and miscounted the depth of documents that were fine.
 *
 * @throws SCHEDULE_TOO_DEEP
 */
export function checkXmlDepth(xml: string, limit: number): void {
  let depth = 0;
  let i = xml.indexOf('<');
  while (i >= 0) {
    const end = endOfMarkup(xml, i);
    if (end < 0) return; // unterminated: the validator reports it
    const next = xml[i + 1];
    if (next === '/') depth--;
    else if (next !== '!' && next !== '?' && xml[end - 2] !== '/' && ++depth > limit) {
      throw ImportErrors.tooDeep('XML', limit, `at character ${i + 1}`);
    }
    i = xml.indexOf('<', end);
  }
}

/**
 * Index just past the markup starting with `<` at `at` (comment, CDATA, DOCTYPE, processing
 * instruction or tag, quotes honoured in tags), or -1 when it never ends. Always > `at`.
 */
function endOfMarkup(xml: string, at: number): number {
  const through = (terminator: string, from: number): number => {
    const k = xml.indexOf(terminator, from);
    return k < 0 ? -1 : k + terminator.length;
  };
  if (xml.startsWith('<!--', at)) return through('-->', at + 4);
  if (xml.startsWith('<![CDATA[', at)) return through(']]>', at + 9);
  if (xml.startsWith('<!', at)) {
    const end = endOfDoctype(xml, at);
    return xml[end - 1] === '>' ? end : -1;
  }
  if (xml.startsWith('<?', at)) return through('?>', at + 2);
  let quote = '';
  for (let j = at + 1; j < xml.length; j++) {
    const c = xml[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j + 1;
  }
  return -1;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes entity and character references in text the parser returned raw. Any other named
 * entity is undefined in a document without entity declarations, so it is reported, not kept.
 *
 * @throws SCHEDULE_MALFORMED
 */
export function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9._-]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw ImportErrors.malformed('XML', `a bare "&" in "${excerpt(text, whole)}"; write &amp;`);
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (code < 0x20 && code !== 9 && code !== 10 && code !== 13)) {
        throw ImportErrors.malformed('XML', `the character reference ${whole} names no valid XML character`);
      }
      return String.fromCodePoint(code);
    }
    const v = PREDEFINED[ref];
    if (v === undefined)
      throw ImportErrors.malformed('XML', `the entity ${whole} is not defined (only &lt; &gt; &amp; &quot; &apos; and &#…; exist without a DTD)`);
    return v;
  });
}

function excerpt(text: string, around: string): string {
  const i = text.indexOf(around);
  return text.slice(Math.max(0, i - 20), i + 20).replace(/\s+/g, ' ');
}
