import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import type { ProgramSnapshot } from '../../src/modules/schedule/snapshot.js';
import { strictUrl } from '../../src/formats/frab-common.js';
import { buildEventDoc } from '../factories/event-doc.js';

/**
 * Shared by the interop tests: the C3VOC schemas and real-world samples (kept outside the
 * repository in ../shared/interop, or wherever HALLWAY_INTEROP_DIR points: they are third-party
 * files without a stated data licence), the two validators, and the event documents that cover
 * what the exporters must get right (daylight saving, a 04:00 day change, midnight).
 */
const INTEROP_DIR = process.env.HALLWAY_INTEROP_DIR ?? new URL('../../../shared/interop/', import.meta.url).pathname;

export const interopSkipReason: string | undefined = existsSync(`${INTEROP_DIR}/schemas/schedule.xml.xsd`)
  ? undefined
  : `interop tests skipped: no C3VOC schemas/samples at ${INTEROP_DIR} (set HALLWAY_INTEROP_DIR)`;
if (interopSkipReason && process.env.CI) throw new Error(`CI=true but ${interopSkipReason}`);

const XMLLINT = '/usr/bin/xmllint';
export const xmllintSkipReason: string | undefined = existsSync(XMLLINT)
  ? undefined
  : 'XSD validation skipped: xmllint not installed (apt-get install libxml2-utils)';
if (xmllintSkipReason && process.env.CI) throw new Error(`CI=true but ${xmllintSkipReason}`);

export const SAMPLE_NAMES = [
  'romhack-camp-2026-pretalx.schedule.xml',
  'democon-pretalx.schedule.json',
  'camp2019-frab.schedule.json',
  'debconf23.schedule.xml',
  'fosdem-2020.schedule.xml',
  '36c3-merged.schedule.xml',
] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

export function sample(name: SampleName): Buffer {
  return readFileSync(`${INTEROP_DIR}/samples/${name}`);
}

/** The zone each sample needs on the command line (the two that name none). */
export const SAMPLE_ZONES: Partial<Record<SampleName, string>> = {
  'fosdem-2020.schedule.xml': 'Europe/Brussels',
  '36c3-merged.schedule.xml': 'Europe/Berlin',
};

/** xmllint --schema on the document (read from stdin); the error lines, or [] when valid. */
export function xsdErrors(xml: string): string[] {
  const r = spawnSync(XMLLINT, ['--noout', '--schema', `${INTEROP_DIR}/schemas/schedule.xml.xsd`, '-'], {
    input: xml,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status === 0) return [];
  return r.stderr
    .split('\n')
    .filter((l) => l && !/validates$|fails to validate$|No precomputed value/.test(l))
    .slice(0, 20);
}

let validateJson: ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** ajv with the draft-06 meta-schema, strict off (the schema uses $oneOf and format "color"). */
export function jsonSchemaErrors(doc: unknown): string[] {
  if (!validateJson) {
    const require = createRequire(import.meta.url);
    const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    addFormats(ajv);
    validateJson = ajv.compile(JSON.parse(readFileSync(`${INTEROP_DIR}/schemas/schema.json`, 'utf8')));
  }
  if (validateJson(doc)) return [];
  return (validateJson.errors ?? []).slice(0, 20).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * Europe/Amsterdam on the weekend clocks go forward (Sunday 28 March 2027, 02:00 → 03:00): one
 * session before, one across and one after the change.
 */
export function dstDoc(): EventDocumentInput {
  return buildEventDoc({
    slug: 'dstconf-2027',
    event: { title: 'DST Conf 2027', acronym: 'dstconf', startDate: '2027-03-27', endDate: '2027-03-28' },
    sessions: [
      {
        code: 'sat-morning',
        title: 'Saturday morning (CET)',
        room: 'Main Hall',
        track: 'Platform',
        start: '2027-03-27T10:00',
        durationMinutes: 60,
        speakers: ['ada'],
      },
      { code: 'night-shift', title: 'Hacking through the night', room: 'Side Room', start: '2027-03-28T01:30', durationMinutes: 60, speakers: ['linus'] },
      {
        code: 'sun-morning',
        title: 'Sunday morning (CEST)',
        room: 'Main Hall',
        track: 'Security',
        start: '2027-03-28T10:00',
        durationMinutes: 45,
        speakers: ['grace'],
      },
    ],
  });
}

/**
 * A 04:00 day change with a session across midnight and one after it (both on the first
 * programme day), a room-less break, a cancelled talk and text that must be escaped.
 */
export function midnightDoc(): EventDocumentInput {
  return buildEventDoc({
    slug: 'nightconf-2027',
    event: {
      title: 'Night Conf <2027> & "friends"',
      acronym: 'NC',
      startDate: '2027-06-10',
      endDate: '2027-06-11',
      dayChange: '04:00',
      timeZone: 'Europe/Berlin',
    },
    sessions: [
      {
        code: 'evening',
        kind: 'keynote',
        title: 'Evening keynote',
        room: 'Main Hall',
        track: 'Platform',
        start: '2027-06-10T22:00',
        durationMinutes: 60,
        speakers: ['grace'],
      },
      { code: 'late-break', kind: 'break', title: 'Club-Mate & snacks', room: null, start: '2027-06-10T23:00', durationMinutes: 30 },
      {
        code: 'crossing',
        title: 'Across midnight: <script>alert(1)</script> & more',
        subtitle: 'Ends at 01:00',
        room: 'Main Hall',
        track: 'Security',
        start: '2027-06-10T23:30',
        durationMinutes: 90,
        speakers: ['ada', 'linus'],
        links: [{ kind: 'slides', title: 'Slides [PDF]', url: 'https://slides.example.org/a?x=1&y=[2]' }],
      },
      {
        code: 'after-midnight',
        kind: 'lightning',
        title: 'After midnight',
        room: 'Side Room',
        start: '2027-06-11T01:30',
        durationMinutes: 30,
        speakers: ['linus'],
      },
      {
        code: 'cancelled-talk',
        title: 'This talk was cancelled',
        status: 'cancelled',
        room: 'Side Room',
        start: '2027-06-11T10:00',
        durationMinutes: 30,
        speakers: ['ada'],
      },
      {
        code: 'day2',
        kind: 'workshop',
        title: 'Day two workshop',
        abstract: 'Bring a **laptop**. See [the docs](https://docs.example.org).',
        room: 'Main Hall',
        start: '2027-06-11T10:00',
        durationMinutes: 120,
        speakers: ['grace'],
      },
    ],
  });
}

/** One programme in comparable form: per session (by GUID) everything the frab formats carry. */
export function normalisedProgramme(s: ProgramSnapshot) {
  return s.sessions
    .filter((x) => x.status === 'confirmed')
    .map((x) => ({
      guid: x.guid,
      title: x.title,
      subtitle: x.subtitle,
      kind: x.kind,
      language: x.language,
      abstract: x.abstract,
      startsAt: x.startsAt,
      durationMinutes: x.durationMinutes,
      room: x.roomId === null ? null : s.roomById.get(x.roomId)!.name,
      track: x.trackId === null ? null : s.trackById.get(x.trackId)!.name,
      persons: x.speakerIds.map((id) => s.speakerById.get(id)!.name),
      // The exporters write URLs in strict RFC 3986 form ([ ] percent-encoded): the same address.
      links: x.links.map((l) => strictUrl(l.url)),
    }))
    .sort((a, b) => (a.guid < b.guid ? -1 : 1));
}
