import { SESSION_KINDS, type LinkKind, type SessionKind } from '../modules/program/session.js';

/**
 * frab's `type` is free text in the wild ("lecture", "Lightning Talk", "Workshop (2h)",
 * "Normale Länge", "devroom", …). These rules map it to Hallway's kinds by keyword, first match
 * wins; Hallway's own kind names (what the exporter writes) map to themselves. Anything else is
 * a talk, and the importer reports which types it did not recognise.
 */
const RULES: ReadonlyArray<[RegExp, SessionKind]> = [
  [/keynote/, 'keynote'],
  [/lightning/, 'lightning'],
  [/workshop|hands-on|hands on|tutorial|\blab\b|werkstatt/, 'workshop'],
  [/panel|podium|discussion|diskussion/, 'panel'],
  [/\bbreak\b|pause|coffee|kaffee/, 'break'],
  [/lunch|dinner|breakfast|\bmeal\b|essen/, 'meal'],
  [/doors|registration|check-in|einlass/, 'doors'],
  [/party|social|concert|konzert|dj ?set|performance|music|klang|networking|gathering|movie|film|screening|show|game|spiel|kunst|aufführung/, 'social'],
  [/remarks|opening|closing|welcome|ceremony/, 'remarks'],
  // Recognised as talks on purpose (so they are not reported as unknown).
  [
    /talk|lecture|vortrag|devroom|maintrack|\bbof\b|birds of a feather|meeting|meetup|plenum|presentation|session|länge|slot|certification|keysigning|other|sonstiges/,
    'talk',
  ],
];

export interface KindMatch {
  readonly kind: SessionKind;
  /** False when nothing matched and the kind defaulted to talk. */
  readonly known: boolean;
}

export function kindOfType(type: string | undefined): KindMatch {
  if (!type) return { kind: 'talk', known: true };
  const t = type.toLowerCase().trim();
  if ((SESSION_KINDS as readonly string[]).includes(t)) return { kind: t as SessionKind, known: true };
  for (const [re, kind] of RULES) if (re.test(t)) return { kind, known: true };
  return { kind: 'talk', known: false };
}

/** A link's kind from its JSON `type`, attachment type, title and URL. */
export function linkKindOf(link: { url: string; title?: string; type?: string; attachment: boolean }): LinkKind {
  const type = (link.type ?? '').toLowerCase();
  const words = `${link.title ?? ''} ${type}`.toLowerCase();
  const url = link.url.toLowerCase();
  if (type === 'slides' || /slide|folien|presentation/.test(words) || /\.(pdf|odp|pptx?|key)(\?|$)/.test(url)) return 'slides';
  if (/recording|aufzeichnung/.test(words)) return 'recording';
  if (type === 'media' || /video|stream/.test(words) || /\.(webm|mp4|mkv|ogv)(\?|$)|youtube\.com|youtu\.be|media\.ccc\.de|vimeo\.com/.test(url)) return 'video';
  if (/\bcode\b|source|repo/.test(words) || /github\.com|gitlab\.|codeberg\.org|sr\.ht|bitbucket\.org/.test(url)) return 'code';
  if (type === 'web' || type === 'blog' || /website|homepage|web ?site|blog/.test(words)) return 'website';
  return 'other';
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en',
  englisch: 'en',
  german: 'de',
  deutsch: 'de',
  french: 'fr',
  dutch: 'nl',
  italian: 'it',
  spanish: 'es',
};

/** A language code Hallway accepts, or undefined when the text is not one (the caller defaults). */
export function languageOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim().replace(/_/g, '-');
  const lower = t.toLowerCase();
  if (LANGUAGE_NAMES[lower]) return LANGUAGE_NAMES[lower];
  const [primary, ...rest] = t.split('-');
  const code = [primary!.toLowerCase(), ...rest].join('-');
  return LANGUAGE.test(code) ? code : undefined;
}
