import type { ProgramSnapshot } from '../modules/schedule/snapshot.js';
import { renderFrabJson } from './frab-json.js';
import { renderFrabXml } from './frab-xml.js';
import { renderEventCalendar } from './ical.js';
import { renderSessionizeAll } from './sessionize.js';

/** One whole-event export: served at /events/:slug/<file>. */
export interface ExportFormat {
  readonly id: 'frab-xml' | 'frab-json' | 'ical' | 'sessionize';
  readonly label: string;
  readonly file: 'schedule.xml' | 'schedule.json' | 'schedule.ics' | 'sessionize.json';
  readonly extension: 'xml' | 'json' | 'ics';
  readonly contentType: string;
  /** Sent as a download name (inline, so calendar subscriptions and browsers still show it). */
  readonly download: boolean;
  readonly render: (snap: ProgramSnapshot, baseUrl: string) => string;
}

/** The registry the routes are made from (and that pages can list as "export" links). */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'frab-xml',
    label: 'Schedule XML (frab)',
    file: 'schedule.xml',
    extension: 'xml',
    contentType: 'application/xml; charset=utf-8',
    download: false,
    render: renderFrabXml,
  },
  {
    id: 'frab-json',
    label: 'Schedule JSON (frab/C3VOC)',
    file: 'schedule.json',
    extension: 'json',
    contentType: 'application/json; charset=utf-8',
    download: false,
    render: renderFrabJson,
  },
  {
    id: 'ical',
    label: 'Calendar (iCalendar)',
    file: 'schedule.ics',
    extension: 'ics',
    contentType: 'text/calendar; charset=utf-8',
    download: true,
    render: renderEventCalendar,
  },
  {
    id: 'sessionize',
    label: 'Sessionize-style JSON',
    file: 'sessionize.json',
    extension: 'json',
    contentType: 'application/json; charset=utf-8',
    download: false,
    render: renderSessionizeAll,
  },
];

export const ICAL_CONTENT_TYPE = 'text/calendar; charset=utf-8';
