import { ImportErrors } from '../modules/schedule/import.errors.js';

/** A schedule file decoded to text, with the format its first character announces. */
export interface ScheduleText {
  readonly format: 'xml' | 'json';
  readonly text: string;
}

/**
 * Decodes schedule bytes to text. UTF-8 (with or without BOM) is the norm; UTF-16 with a BOM and
 * an XML declaration naming another encoding (ISO-8859-1, windows-1252, …) are honoured. Bytes
 * that are not valid in the encoding are an error naming the offset, never silently replaced:
 * a mis-declared file would otherwise import with garbled names.
 *
 * @throws SCHEDULE_ENCODING_INVALID, SCHEDULE_FORMAT_UNKNOWN
 */
export function decodeSchedule(bytes: Uint8Array): ScheduleText {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [label, start] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [label, start] = ['utf-16be', 2];
  else {
    // The XML declaration is ASCII whatever the encoding, so reading its bytes as Latin-1 is safe.
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    const declared = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
    if (declared) label = declared.toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw ImportErrors.encoding(`the XML declaration names the encoding "${label}", which is not supported (use UTF-8)`);
  }
  let text: string;
  try {
    text = decoder.decode(bytes.subarray(start));
  } catch {
    const at = label === 'utf-8' ? firstInvalidUtf8(bytes, start) : -1;
    const where = at >= 0 ? ` (byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} at offset ${at})` : '';
    throw ImportErrors.encoding(`it is not valid ${label.toUpperCase()}${where}; save it as UTF-8`);
  }
  const first = /\S/.exec(text)?.[0];
  if (first === '<') return { format: 'xml', text };
  if (first === '{') return { format: 'json', text };
  throw ImportErrors.unknownFormat();
}

/** Offset of the first byte that breaks UTF-8, or -1. Only called on the error path. */
function firstInvalidUtf8(b: Uint8Array, from: number): number {
  let i = from;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Refuses JSON nested deeper than `limit` before JSON.parse sees it: a schedule is about eight
 * levels deep, and a crafted file of a million brackets would otherwise cost a stack overflow.
 *
 * @throws SCHEDULE_TOO_DEEP
 */
export function checkJsonDepth(text: string, limit: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > limit) throw ImportErrors.tooDeep('JSON', limit, `at character ${i + 1}`);
    } else if (c === 125 || c === 93) depth--;
  }
}
