import { nameBasedUuid } from '../lib/guid.js';
import { cleanSlug } from './frab-common.js';
import type { FrabEvent } from './frab-model.js';
import type { ImportNotes } from './import-notes.js';

/**
 * Session identity on import: the GUID (how a newer version of the file finds the same session)
 * and the code (the session's address in Hallway). Both are derived deterministically from the
 * file, so importing the same file twice gives the same identities.
 */

/** What Hallway's document schema accepts as a UUID (RFC 4122 version and variant bits). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CODE_OK = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The file's GUID when it is a UUID Hallway accepts and not seen before; else a stable derived one. */
export function sessionGuid(e: FrabEvent, eventSlug: string, seen: Map<string, number>, notes: ImportNotes): string {
  let guid: string;
  if (e.guid && UUID.test(e.guid.toLowerCase())) guid = e.guid.toLowerCase();
  else if (e.guid) {
    guid = nameBasedUuid(`frab-guid:${e.guid.toLowerCase()}`);
    notes.note('guid-format', e.path, (n) => `events whose GUID is not an RFC 4122 UUID: ${n} (e.g. ${e.guid}); stable UUIDs were derived from them`);
  } else {
    guid = nameBasedUuid(`${eventSlug}/frab/${e.id ?? e.slug ?? e.title ?? ''}`);
    notes.note('guid-missing', e.path, (n) => `events without a GUID: ${n}; stable ones were derived from the event slug and their id`);
  }
  const n = (seen.get(guid) ?? 0) + 1;
  seen.set(guid, n);
  if (n === 1) return guid;
  notes.note('guid-dup', e.path, (k) => `events repeating a GUID (or id) used earlier in the file: ${k}; the later ones got derived GUIDs`);
  return nameBasedUuid(`${guid}#${n}`);
}

/** A session code: pretalx's code, else the slug without the acronym prefix, else the id. */
export function codeFrom(e: FrabEvent, acronymPrefix: string | undefined): string {
  let raw = e.code ?? e.slug ?? e.id ?? cleanSlug(e.title ?? 'session');
  if (!e.code && e.slug && acronymPrefix && raw.toLowerCase().startsWith(acronymPrefix) && raw.length > acronymPrefix.length)
    raw = raw.slice(acronymPrefix.length);
  const clean = raw
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 72)
    .replace(/-+$/, '');
  return CODE_OK.test(clean) ? clean : cleanSlug(e.title ?? 'session');
}

/** `base`, made unique case-insensitively: with `-<id>` when an id is given, else `-2`, `-3`, … */
export function uniqueCode(base: string, used: Set<string>, id?: string): string {
  const b = base.slice(0, 72).replace(/-+$/, '') || 'x';
  let code = b;
  if (used.has(code.toLowerCase()) && id && CODE_OK.test(id)) code = `${b}-${id}`.slice(0, 80);
  for (let n = 2; used.has(code.toLowerCase()); n++) code = `${b}-${n}`;
  used.add(code.toLowerCase());
  return code;
}
