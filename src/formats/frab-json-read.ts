import { ImportErrors } from '../modules/schedule/import.errors.js';
import { str, type FrabDay, type FrabEvent, type FrabLink, type FrabPerson, type FrabRoomInfo, type FrabSchedule } from './frab-model.js';
import { checkJsonDepth } from './schedule-text.js';

const MAX_DEPTH = 64;

type Obj = Record<string, unknown>;

/**
 * Reads a C3VOC schedule.json ("version 1": schedule.conference.days[].rooms{name: events[]})
 * into the neutral FrabSchedule. Persons may be frab style ({id, public_name}) or pretalx style
 * ({code, name|public_name, biography}); unknown keys (pretalx `answers`, …) are ignored.
 *
 * @throws SCHEDULE_TOO_DEEP, SCHEDULE_MALFORMED, SCHEDULE_NOT_FRAB
 */
export function readFrabJson(json: string): FrabSchedule {
  checkJsonDepth(json, MAX_DEPTH);
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch (err) {
    throw ImportErrors.malformed('JSON', err instanceof Error ? err.message : String(err));
  }
  const schedule = obj(root).schedule;
  if (!isObj(schedule)) throw ImportErrors.notASchedule('there is no "schedule" object at the top level');
  const c = obj(schedule.conference);
  if (!Array.isArray(c.days)) throw ImportErrors.notASchedule('schedule.conference.days is not a list');
  const generator = isObj(obj(root).generator) ? [str(obj(obj(root).generator).name), str(obj(obj(root).generator).version)].filter(Boolean).join(' ') : '';
  return {
    format: 'json',
    version: str(schedule.version),
    generator: generator || undefined,
    conference: {
      title: str(c.title),
      acronym: str(c.acronym),
      start: str(c.start),
      end: str(c.end),
      timeZoneName: str(c.time_zone_name),
      timeslotDuration: str(c.timeslot_duration),
      baseUrl: str(schedule.base_url) ?? str(c.base_url),
      url: str(c.url),
      tracks: arr(c.tracks).flatMap((t) => {
        const name = str(obj(t).name);
        return name ? [{ name, color: str(obj(t).color) }] : [];
      }),
      rooms: Array.isArray(c.rooms)
        ? c.rooms.flatMap((r): FrabRoomInfo[] => {
            const name = str(obj(r).name);
            const capacity = obj(r).capacity;
            const description = obj(r).description;
            return name
              ? [
                  {
                    name,
                    description: str(description),
                    capacity: typeof capacity === 'number' && Number.isInteger(capacity) && capacity > 0 ? capacity : undefined,
                  },
                ]
              : [];
          })
        : undefined,
    },
    days: c.days.map((d, i) => readDay(d, `schedule.conference.days[${i}]`)),
  };
}

function readDay(d: unknown, path: string): FrabDay {
  const day = obj(d);
  const rooms = isObj(day.rooms) ? Object.entries(day.rooms) : [];
  return {
    path,
    index: str(day.index),
    date: str(day.date),
    start: str(day.day_start),
    end: str(day.day_end),
    rooms: rooms.map(([name, events]) => {
      const at = `${path}.rooms[${JSON.stringify(name)}]`;
      return { path: at, name: str(name), events: arr(events).map((e, j) => readEvent(e, `${at}[${j}]`)) };
    }),
  };
}

function readEvent(e: unknown, path: string): FrabEvent {
  const n = obj(e);
  const persons = arr(n.persons).map((p): FrabPerson => {
    const o = obj(p);
    return { id: str(o.id) ?? str(o.code), guid: str(o.guid), name: str(o.name) ?? str(o.public_name), biography: str(o.biography), avatar: str(o.avatar) };
  });
  const links: FrabLink[] = [
    ...arr(n.links).map((l) => ({ url: str(obj(l).url), title: str(obj(l).title), type: str(obj(l).type), attachment: false })),
    ...arr(n.attachments).map((l) => ({ url: str(obj(l).url), title: str(obj(l).title), type: str(obj(l).type), attachment: true })),
  ];
  return {
    path,
    id: str(n.id),
    guid: str(n.guid),
    code: str(n.code),
    date: str(n.date),
    start: str(n.start),
    duration: str(n.duration),
    end: str(n.end),
    room: str(n.room),
    slug: str(n.slug),
    title: str(n.title),
    subtitle: str(n.subtitle),
    track: str(n.track),
    type: str(n.type),
    language: str(n.language),
    abstract: str(n.abstract),
    description: str(n.description),
    url: str(n.url),
    persons,
    links,
  };
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
