import { DomainError, type Problem } from '../../lib/domain-error.js';

/**
 * Error codes of schedule import (frab/pentabarf XML, C3VOC JSON); see docs/errors.md. Every one
 * means nothing was written. Status 4xx = the input is at fault (CLI exit code 2); the fetch
 * errors are 502/504 because a remote server or the network failed (CLI exit code 1).
 */
export const ImportErrors = {
  tooLarge: (limit: number, what: string) =>
    new DomainError('SCHEDULE_TOO_LARGE', `${what} is larger than the import limit of ${formatBytes(limit)} (MAX_IMPORT_BYTES); nothing was changed.`, 413),
  fileUnreadable: (path: string, detail: string) => new DomainError('SCHEDULE_FILE_UNREADABLE', `Cannot read ${path}: ${detail}; nothing was changed.`, 400),
  encoding: (detail: string) => new DomainError('SCHEDULE_ENCODING_INVALID', `The schedule is not valid text: ${detail}; nothing was changed.`, 400),
  unknownFormat: () =>
    new DomainError(
      'SCHEDULE_FORMAT_UNKNOWN',
      'The file is neither schedule XML (starting with "<") nor schedule JSON (starting with "{"); nothing was changed.',
      400,
    ),
  malformed: (format: 'XML' | 'JSON', detail: string) =>
    new DomainError('SCHEDULE_MALFORMED', `The schedule is not well-formed ${format} (${detail}); nothing was changed.`, 400, [
      { path: '(document)', message: detail },
    ]),
  tooDeep: (format: 'XML' | 'JSON', limit: number, where: string) =>
    new DomainError(
      'SCHEDULE_TOO_DEEP',
      `The ${format} nests deeper than ${limit} levels (${where}); a schedule never does, so it was refused; nothing was changed.`,
      400,
    ),
  entitiesRefused: (detail: string) =>
    new DomainError(
      'SCHEDULE_ENTITIES_REFUSED',
      `The XML has a DOCTYPE with ${detail}. Hallway never expands entities or loads external DTDs (XXE, "billion laughs"), so it was refused; nothing was changed.`,
      400,
    ),
  notASchedule: (detail: string) => new DomainError('SCHEDULE_NOT_FRAB', `This is not a frab/C3VOC schedule: ${detail}; nothing was changed.`, 422),
  timeZoneMissing: (offsets: readonly string[]) =>
    new DomainError(
      'SCHEDULE_TIME_ZONE_MISSING',
      `The schedule names no time zone (no time_zone_name)${offsets.length ? `; its times carry the offset${offsets.length > 1 ? 's' : ''} ${offsets.join(', ')}` : ' and its times are local wall-clock times'}. Pass --time-zone with the IANA zone of the venue, e.g. --time-zone Europe/Brussels; nothing was changed.`,
      422,
      [{ path: 'conference.time_zone_name', message: 'is missing; pass --time-zone' }],
    ),
  timeZoneUnknown: (zone: string, from: string) =>
    new DomainError(
      'SCHEDULE_TIME_ZONE_UNKNOWN',
      `Unknown time zone "${zone}" (${from}); use an IANA name such as Europe/Brussels; nothing was changed.`,
      422,
      [{ path: from, message: `unknown time zone "${zone}"` }],
    ),
  invalid: (problems: Problem[]) =>
    new DomainError(
      'SCHEDULE_INVALID',
      `The schedule has ${problems.length} problem${problems.length === 1 ? '' : 's'} that would make the programme wrong; nothing was changed.`,
      422,
      problems,
    ),
  tooComplex: (limit: 'time' | 'memory', limits: { readonly timeMs: number; readonly memoryMb: number }) =>
    new DomainError(
      'SCHEDULE_TOO_COMPLEX',
      limit === 'time'
        ? `Reading the schedule took longer than ${Math.round(limits.timeMs / 1000)} s (IMPORT_TIME_LIMIT_SECONDS) and was stopped; nothing was changed.`
        : `Reading the schedule needed more than ${limits.memoryMb} MB of memory (IMPORT_MEMORY_LIMIT_MB) and was stopped; nothing was changed.`,
      422,
    ),
  fetchFailed: (url: string, detail: string) => new DomainError('SCHEDULE_FETCH_FAILED', `Could not download ${url}: ${detail}; nothing was changed.`, 502),
  urlRefused: (url: string, detail: string) =>
    new DomainError('SCHEDULE_URL_REFUSED', `Refusing to download ${url}: ${detail}; nothing was changed.`, 400, [{ path: 'url', message: detail }]),
  fetchTimeout: (url: string, ms: number) =>
    new DomainError('SCHEDULE_FETCH_TIMEOUT', `Downloading ${url} took longer than ${Math.round(ms / 1000)} s and was stopped; nothing was changed.`, 504),
};

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
