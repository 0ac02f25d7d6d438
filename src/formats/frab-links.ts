import { LINK_KINDS, type LinkKind } from '../modules/program/session.js';
import type { EventDocument, EventDocumentInput } from '../modules/schedule/event-document.schemas.js';
import { LINK_TITLES, strictUrl } from './frab-common.js';
import { linkKindOf } from './frab-kinds.js';
import type { FrabEvent, FrabLink } from './frab-model.js';
import type { ImportNotes } from './import-notes.js';

type SessionLink = EventDocument['sessions'][number]['links'][number];
type LinkInput = NonNullable<NonNullable<EventDocumentInput['sessions']>[number]['links']>;

/**
 * The event's links and attachments. A link the session already has (same URL) keeps its kind,
 * and its title when the file only has a generic one: frab cannot say "recording" or leave a
 * title empty, so re-importing an export must not lose either.
 */
export function sessionLinks(e: FrabEvent, base: string | undefined, notes: ImportNotes, previous: readonly SessionLink[]): LinkInput {
  const byUrlTitle = new Map(previous.map((l) => [`${strictUrl(l.url)} ${l.title}`, l]));
  const byUrl = new Map(previous.map((l) => [strictUrl(l.url), l]));
  const out: LinkInput = [];
  for (const l of e.links) {
    const url = resolveUrl(l.url, base);
    if (!url) {
      if (l.url) notes.note('link-url', e.path, (n) => `links whose URL is not http(s) or cannot be resolved: ${n} (e.g. "${l.url}"); left out`);
      continue;
    }
    if (out.length === 50) {
      notes.note('links-many', e.path, (n) => `events with more than 50 links: ${n}; the first 50 were kept`);
      break;
    }
    const title = (l.title ?? '').replace(/\s+/g, ' ').slice(0, 200);
    const prev = byUrlTitle.get(`${url} ${title}`) ?? byUrl.get(url);
    if (prev) out.push({ kind: prev.kind, title: !title || title === LINK_TITLES[prev.kind] ? prev.title : title, url: prev.url });
    else out.push({ kind: ownKind(l) ?? linkKindOf({ ...l, url }), title, url });
  }
  return out;
}

/** Hallway's exporter writes the link kind into `type`; read it back exactly. */
function ownKind(l: FrabLink): LinkKind | undefined {
  return !l.attachment && l.type && (LINK_KINDS as readonly string[]).includes(l.type) ? (l.type as LinkKind) : undefined;
}

/** An absolute http(s) URL, resolving root- or path-relative ones against `base`; else undefined. */
export function resolveUrl(raw: string | undefined, base: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    if (/^https?:\/\//i.test(raw)) url = new URL(raw);
    else if (raw.startsWith('//')) url = new URL(`https:${raw}`);
    else if (base && (/^\.{0,2}\//.test(raw) || !/^[^/?#]*\./.test(raw)) && !/^[a-z][a-z0-9+.-]*:/i.test(raw)) url = new URL(raw, base);
    else return undefined;
  } catch {
    return undefined;
  }
  const href = strictUrl(url.href);
  return /^https?:\/\/[^\s<>"]+$/.test(href) && href.length <= 2000 ? href : undefined;
}

export function httpBase(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? resolveUrl(url, undefined) : undefined;
}
