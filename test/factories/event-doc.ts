import type { EventDocumentInput, SessionDoc } from '../../src/modules/schedule/event-document.schemas.js';

type SessionInput = Partial<SessionDoc> & Pick<SessionDoc, 'title' | 'start'>;

/**
 * A small, complete conference document: 2 days (2027-04-15/16, Europe/Amsterdam), 2 rooms,
 * 2 tracks, 3 speakers, 1 sponsor and the sessions given (or a default handful). No surprises:
 * every default is visible here.
 */
export function buildEventDoc(overrides: { slug?: string; sessions?: SessionInput[]; event?: Partial<EventDocumentInput['event']> } = {}): EventDocumentInput {
  const slug = overrides.slug ?? 'testconf-2027';
  const sessions: SessionInput[] = overrides.sessions ?? [
    { code: 'welcome', kind: 'remarks', title: 'Welcome', room: 'Main Hall', start: '2027-04-15T09:00', durationMinutes: 15, speakers: ['ada'] },
    {
      code: 'keynote',
      kind: 'keynote',
      title: 'The Keynote',
      room: 'Main Hall',
      track: 'Platform',
      start: '2027-04-15T09:15',
      durationMinutes: 45,
      speakers: ['grace'],
    },
    { code: 'coffee', kind: 'break', title: 'Coffee break', room: null, start: '2027-04-15T10:00', durationMinutes: 30 },
    {
      code: 'ebpf',
      kind: 'talk',
      title: 'eBPF for Humans',
      room: 'Side Room',
      track: 'Security',
      start: '2027-04-15T10:30',
      durationMinutes: 30,
      speakers: ['linus'],
    },
    {
      code: 'day2',
      kind: 'talk',
      title: 'Day Two Opener',
      room: 'Main Hall',
      track: 'Platform',
      start: '2027-04-16T09:00',
      durationMinutes: 30,
      speakers: ['ada', 'grace'],
      links: [{ kind: 'slides', title: 'Slides', url: 'https://slides.example.org/day2' }],
    },
  ];
  return {
    format: 'hallway-event/1',
    community: { slug: 'test-community', name: 'Test Community' },
    event: {
      slug,
      kind: 'conference',
      title: 'TestConf 2027',
      acronym: 'testconf',
      timeZone: 'Europe/Amsterdam',
      startDate: '2027-04-15',
      endDate: '2027-04-16',
      venue: { name: 'Test Venue', address: 'Teststraat 1, 1011 AB Amsterdam', url: null },
      description: 'A test conference.',
      ...overrides.event,
    },
    rooms: [
      { name: 'Main Hall', capacity: 300 },
      { name: 'Side Room', capacity: 80 },
    ],
    tracks: [
      { name: 'Platform', color: '#1f77b4' },
      { name: 'Security', color: '#d62728' },
    ],
    speakers: [
      {
        code: 'ada',
        name: 'Ada Example',
        jobTitle: 'Staff Engineer',
        company: 'Analytical Ltd',
        bio: 'Ada writes engines.',
        handles: { github: 'ada-example' },
      },
      {
        code: 'grace',
        name: 'Grace Sample',
        jobTitle: 'CTO',
        company: 'Compilers Inc',
        bio: 'Grace builds compilers.',
        handles: { mastodon: '@grace@hachyderm.io' },
      },
      { code: 'linus', name: 'Linus Case', jobTitle: 'Maintainer', company: 'Kernel Co', bio: 'Linus maintains things.' },
    ],
    sponsors: [{ name: 'Coffee Corp', level: 'gold', contribution: 'Coffee', url: 'https://coffee.example.org' }],
    sessions: sessions.map((s) => ({ kind: 'talk' as const, durationMinutes: 30, ...s })),
  };
}
