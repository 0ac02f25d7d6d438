import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';

/*
 * /events/:slug/sessionize.json: the programme as Sessionize's "All" view, for sites and apps
 * written against Sessionize. The schema below is what such consumers declare (session ids as
 * strings, local times without offset, speakers by GUID, category items by number).
 */
const SessionizeAll = z.object({
  sessions: z.array(
    z
      .object({
        id: z.string(),
        title: z.string(),
        description: z.string().nullable(),
        startsAt: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        endsAt: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        isServiceSession: z.boolean(),
        isPlenumSession: z.boolean(),
        speakers: z.array(z.string().uuid()),
        categoryItems: z.array(z.number().int()),
        questionAnswers: z.array(z.unknown()),
        roomId: z.number().int().nullable(),
        liveUrl: z.string().nullable(),
        recordingUrl: z.string().nullable(),
        status: z.string(),
        isInformed: z.boolean(),
        isConfirmed: z.boolean(),
      })
      .strict(),
  ),
  speakers: z.array(
    z
      .object({
        id: z.string().uuid(),
        firstName: z.string(),
        lastName: z.string(),
        bio: z.string().nullable(),
        tagLine: z.string(),
        profilePicture: z.string().nullable(),
        isTopSpeaker: z.boolean(),
        links: z.array(z.object({ title: z.string(), url: z.string().url(), linkType: z.string() })),
        sessions: z.array(z.number().int()),
        fullName: z.string(),
        categoryItems: z.array(z.number()),
        questionAnswers: z.array(z.unknown()),
      })
      .strict(),
  ),
  questions: z.array(z.unknown()),
  categories: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      items: z.array(z.object({ id: z.number().int(), name: z.string(), sort: z.number() })),
      sort: z.number(),
      type: z.string(),
    }),
  ),
  rooms: z.array(z.object({ id: z.number().int(), name: z.string(), sort: z.number() })),
});

describe('Sessionize-style JSON export', () => {
  let app: RunningApp;
  let all: z.infer<typeof SessionizeAll>;

  before(async () => {
    const doc = buildEventDoc();
    doc.sessions!.push(
      {
        code: 'dropped',
        kind: 'talk',
        title: 'Dropped Talk',
        status: 'cancelled',
        room: 'Side Room',
        start: '2027-04-16T10:00',
        durationMinutes: 30,
        speakers: ['linus'],
      },
      {
        code: 'deep',
        kind: 'workshop',
        title: 'Deep Dive',
        room: 'Side Room',
        track: 'Security',
        start: '2027-04-16T11:00',
        durationMinutes: 90,
        speakers: ['linus'],
        language: 'pt-BR',
        level: 'advanced',
        links: [{ kind: 'video', title: 'Recording', url: 'https://video.example.org/deep' }],
      },
    );
    app = await startTestApp({ docs: [doc] });
    const res = await app.get('/events/testconf-2027/sessionize.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    all = SessionizeAll.parse(await res.json());
  });
  after(async () => {
    await app?.close();
  });

  const session = (title: string) => all.sessions.find((s) => s.title === title)!;

  test('every session on the programme is there with local times; cancelled ones are not', () => {
    assert.deepEqual(all.sessions.map((s) => s.title).sort(), ['Coffee break', 'Day Two Opener', 'Deep Dive', 'The Keynote', 'Welcome', 'eBPF for Humans']);
    // 09:15 in Amsterdam (CEST), not the UTC 07:15 it is stored as.
    assert.equal(session('The Keynote').startsAt, '2027-04-15T09:15:00');
    assert.equal(session('The Keynote').endsAt, '2027-04-15T10:00:00');
    assert.equal(session('Coffee break').isServiceSession, true);
    assert.equal(session('Coffee break').isPlenumSession, true, 'a break in no single room is for everyone');
    assert.equal(session('The Keynote').isPlenumSession, true);
    assert.equal(session('eBPF for Humans').isPlenumSession, false);
    assert.equal(session('Deep Dive').recordingUrl, 'https://video.example.org/deep');
  });

  test('speakers and sessions refer to each other, and rooms and category items resolve', () => {
    const speakerIds = new Set(all.speakers.map((s) => s.id));
    const sessionIds = new Set(all.sessions.map((s) => Number(s.id)));
    for (const s of all.sessions) for (const id of s.speakers) assert.ok(speakerIds.has(id), `${s.title}: speaker ${id} is listed`);
    for (const sp of all.speakers) {
      for (const id of sp.sessions) assert.ok(sessionIds.has(id), `${sp.fullName}: session ${id} is listed`);
      for (const id of sp.sessions) assert.ok(all.sessions.find((s) => Number(s.id) === id)!.speakers.includes(sp.id), 'both directions agree');
    }
    const linus = all.speakers.find((s) => s.fullName === 'Linus Case')!;
    assert.equal(linus.sessions.length, 2, 'his cancelled talk is not among his sessions');
    assert.deepEqual([linus.firstName, linus.lastName, linus.tagLine], ['Linus', 'Case', 'Maintainer at Kernel Co']);
    const ada = all.speakers.find((s) => s.fullName === 'Ada Example')!;
    assert.deepEqual(ada.links, [{ title: 'GitHub', url: 'https://github.com/ada-example', linkType: 'Other' }]);

    const rooms = new Map(all.rooms.map((r) => [r.id, r.name]));
    assert.deepEqual([...rooms.values()], ['Main Hall', 'Side Room']);
    assert.equal(rooms.get(session('eBPF for Humans').roomId!), 'Side Room');
    const items = new Map(all.categories.flatMap((c) => c.items.map((i) => [i.id, `${c.title}: ${i.name}`] as const)));
    assert.equal(
      items.size,
      all.categories.reduce((n, c) => n + c.items.length, 0),
      'item ids are unique across categories',
    );
    assert.deepEqual(
      session('Deep Dive').categoryItems.map((id) => items.get(id)),
      ['Track: Security', 'Session format: Workshop', 'Level: Advanced', 'Language: pt-BR'],
    );
    assert.deepEqual(session('Coffee break').categoryItems, [], 'a break has no track or format');
  });

  test('it is cached per programme version like the other exports, and unknown events are a JSON 404', async () => {
    const first = await app.get('/events/testconf-2027/sessionize.json');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    assert.equal((await app.get('/events/testconf-2027/sessionize.json', { headers: { 'if-none-match': etag } })).status, 304);
    const missing = await app.get('/events/no-such-event/sessionize.json');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'EVENT_NOT_FOUND');
  });
});
