import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportErrors } from '../modules/schedule/import.errors.js';
import { str, type FrabDay, type FrabEvent, type FrabLink, type FrabPerson, type FrabRoom, type FrabSchedule, type FrabTrack } from './frab-model.js';
import { checkDoctype, checkXmlDepth, decodeXmlReferences } from './xml-safety.js';

const MAX_DEPTH = 64;

/** Elements that may repeat, by path; everything else is read as a single value. */
const REPEATED = new Set([
  'schedule.day',
  'schedule.day.room',
  'schedule.day.room.event',
  'schedule.day.room.event.persons.person',
  'schedule.day.room.event.links.link',
  'schedule.day.room.event.attachments.attachment',
  'schedule.conference.track',
]);

// processEntities: false is the XXE/billion-laughs guard: the parser never expands any entity,
// so a DOCTYPE could not make it read a file or blow up memory; checkDoctype also refuses such
// documents before parsing, and decodeXmlReferences decodes the references XML itself defines.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

type Node = Record<string, unknown>;

/**
 * Reads frab/pentabarf schedule XML into the neutral FrabSchedule. Unknown elements (FOSDEM's
 * `venue`, pretalx's `answers`, …) are ignored.
 *
 * @throws SCHEDULE_ENTITIES_REFUSED, SCHEDULE_TOO_DEEP, SCHEDULE_MALFORMED, SCHEDULE_NOT_FRAB
 */
export function readFrabXml(xml: string): FrabSchedule {
  checkDoctype(xml);
  checkXmlDepth(xml, MAX_DEPTH);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw ImportErrors.malformed('XML', `line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  let root: Node;
  try {
    root = parser.parse(xml) as Node;
  } catch (err) {
    // The validator lets some broken markup through that the parser then rejects (an unclosed
    // `<?xml … ?` declaration: "Pi Tag is not closed"); the parser's word is final.
    throw ImportErrors.malformed('XML', err instanceof Error ? err.message : String(err));
  }
  const schedule = root.schedule;
  if (!isNode(schedule)) {
    const name = Object.keys(root).find((k) => !k.startsWith('?') && k !== '#text');
    throw ImportErrors.notASchedule(`the root element is <${name ?? '?'}>, not <schedule>`);
  }
  const conference = isNode(schedule.conference) ? schedule.conference : {};
  const generator = isNode(schedule.generator) ? [attr(schedule.generator, 'name'), attr(schedule.generator, 'version')].filter(Boolean).join(' ') : undefined;
  return {
    format: 'xml',
    version: text(schedule.version),
    generator: generator || undefined,
    conference: {
      title: text(conference.title),
      acronym: text(conference.acronym),
      start: text(conference.start),
      end: text(conference.end),
      timeZoneName: text(conference.time_zone_name),
      dayChange: text(conference.day_change),
      timeslotDuration: text(conference.timeslot_duration),
      baseUrl: text(conference.base_url),
      url: text(conference.url),
      venue: text(conference.venue),
      city: text(conference.city),
      tracks: list(conference.track).flatMap((t): FrabTrack[] => {
        const name = attr(t, 'name') ?? text(t);
        return name ? [{ name, color: attr(t, 'color') }] : [];
      }),
    },
    days: list(schedule.day).map((d, i) => readDay(d, `day[${i + 1}]`)),
  };
}

function readDay(d: unknown, path: string): FrabDay {
  return {
    path,
    index: attr(d, 'index'),
    date: attr(d, 'date'),
    start: attr(d, 'start'),
    end: attr(d, 'end'),
    rooms: list(isNode(d) ? d.room : undefined).map((r, i): FrabRoom => {
      const name = attr(r, 'name');
      const at = `${path}/room[${name === undefined ? i + 1 : `@name=${JSON.stringify(name)}`}]`;
      return { path: at, name, events: list(isNode(r) ? r.event : undefined).map((e, j) => readEvent(e, `${at}/event[${j + 1}]`)) };
    }),
  };
}

function readEvent(e: unknown, path: string): FrabEvent {
  const n = isNode(e) ? e : {};
  const persons = list(isNode(n.persons) ? n.persons.person : undefined).map((p): FrabPerson => ({ id: attr(p, 'id'), guid: attr(p, 'guid'), name: text(p) }));
  const links: FrabLink[] = [
    ...list(isNode(n.links) ? n.links.link : undefined).map((l) => ({ url: attr(l, 'href'), title: text(l), type: attr(l, 'type'), attachment: false })),
    ...list(isNode(n.attachments) ? n.attachments.attachment : undefined).map((l) => ({
      url: attr(l, 'href'),
      title: text(l),
      type: attr(l, 'type'),
      attachment: true,
    })),
  ];
  return {
    path,
    id: attr(n, 'id'),
    guid: attr(n, 'guid'),
    code: attr(n, 'code'),
    date: text(n.date),
    start: text(n.start),
    duration: text(n.duration),
    end: text(n.end),
    room: text(n.room),
    slug: text(n.slug),
    title: text(n.title),
    subtitle: text(n.subtitle),
    track: text(n.track),
    type: text(n.type),
    language: text(n.language),
    abstract: text(n.abstract),
    description: text(n.description),
    url: text(n.url),
    persons,
    links,
  };
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v];
}

function attr(v: unknown, name: string): string | undefined {
  return isNode(v) ? str(decodeXmlReferences(String(v[`@_${name}`] ?? ''))) : undefined;
}

/**
 * The text of an element: its own text with references decoded, plus CDATA sections verbatim.
 * An element that unexpectedly holds markup (unescaped HTML in an abstract) gives the text of all
 * its descendants, so nothing is lost and no markup survives.
 */
function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return str(decodeXmlReferences(v));
  if (Array.isArray(v)) return text(v[0]);
  if (!isNode(v)) return str(v);
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') parts.push(decodeXmlReferences(node));
    else if (Array.isArray(node)) node.forEach(walk);
    else if (isNode(node)) {
      for (const [k, child] of Object.entries(node)) {
        if (k === '#cdata') parts.push(...list(child).map(String));
        else if (!k.startsWith('@_')) walk(child);
      }
    }
  };
  walk(v);
  return str(parts.join(' '));
}
