import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { toEventSummaryJson } from '../../src/api/v1/serializers.js';
import type { EventListItem } from '../../src/modules/schedule/snapshot.queries.js';
import type { ProgramSnapshot } from '../../src/modules/schedule/snapshot.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { ApiClient, type ApiResponse, type OpenApiDocument } from './support/api-client.js';
import { meetupDoc, unpublishedDoc } from './support/docs.js';

/**
 * Nothing private leaves through the API. The model has no private field yet, so the tests
 * plant canaries where a future one would sit: extra properties on every object of the cached
 * programme snapshot that the routes read (community, event, venue, hosts, rooms, tracks,
 * speakers and their handles, sessions and their links, sponsors), then walk every route of the
 * OpenAPI document with real parameters and require that no canary, no e-mail address and no key
 * outside the documented schema appears.
 */

const CANARY_EMAIL = 'canary.private@example.org';
const CANARY_TEXT = 'CANARY-PRIVATE-NOTE';
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PRIVATE_KEY = /e-?mail|password|token|secret|phone|notes?$|private/i;

function plant(o: object): void {
  Object.assign(o, { email: CANARY_EMAIL, privateNotes: CANARY_TEXT, reviewerScore: 4 });
}

function plantSnapshot(s: ProgramSnapshot): void {
  plant(s.community);
  plant(s.event);
  plant(s.event.venue);
  s.event.hosts.forEach(plant);
  s.rooms.forEach(plant);
  s.tracks.forEach(plant);
  s.sponsors.forEach(plant);
  for (const p of s.speakers) {
    plant(p);
    plant(p.handles);
  }
  for (const x of s.sessions) {
    plant(x);
    x.links.forEach(plant);
  }
}

/** Adds the canaries to every object at any depth of a JSON value (a copy). */
function plantedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plantedCopy);
  if (v && typeof v === 'object')
    return { ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plantedCopy(x)])), email: CANARY_EMAIL, privateNotes: CANARY_TEXT };
  return v;
}

/** Every string in a JSON value with its path, except Mastodon handles (`@user@host` is public). */
function* strings(v: unknown, path = ''): Generator<[string, string]> {
  if (typeof v === 'string') {
    if (!path.endsWith('.handles.mastodon')) yield [path, v];
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* strings(v[i], `${path}[${i}]`);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) yield* strings(x, `${path}.${k}`);
  }
}

/** A conference with every optional public field filled, so the walk meets every shape. */
function richDoc() {
  const doc = buildEventDoc();
  doc.event.hosts = [{ name: 'Org Person', role: 'organizer', url: 'https://org.example.org' }];
  doc.event.codeOfConductUrl = 'https://testconf.example.org/coc';
  doc.event.url = 'https://testconf.example.org';
  doc.event.capacity = 400;
  doc.community.url = 'https://community.example.org';
  doc.speakers![0]!.avatarUrl = 'https://img.example.org/ada.png';
  doc.speakers![0]!.handles = { github: 'ada-example', website: 'https://ada.example.org', bluesky: 'ada.example.org' };
  doc.sponsors![0]!.logoUrl = 'https://img.example.org/coffee.png';
  doc.sessions![1]!.sponsoredBy = 'Coffee Corp';
  doc.sessions![1]!.level = 'advanced';
  doc.sessions![1]!.subtitle = 'Where we are going';
  doc.sessions![1]!.abstract = 'A **keynote**.';
  doc.sessions![1]!.links = [{ kind: 'video', title: 'Recording', url: 'https://video.example.org/keynote' }];
  return doc;
}

describe('API privacy', () => {
  let app: RunningApp;
  let api: ApiClient;
  let doc: OpenApiDocument;
  const responses: { path: string; res: ApiResponse }[] = [];

  before(async () => {
    app = await startTestApp({ docs: [richDoc(), meetupDoc(), unpublishedDoc()] });
    api = new ApiClient(app);
    // Plant before the first API request, so no rendered body predates the canaries.
    plantSnapshot(await app.hallway.ctx.snapshots.published('testconf-2027'));
    plantSnapshot(await app.hallway.ctx.snapshots.published('meetup-2027-03'));
    // A call for proposals for both published events, so that GET …/cfp answers too; it has
    // proposals with speakers' addresses and private notes, none of which it may show.
    const now = '2027-01-01T00:00:00Z';
    for (const slug of ['testconf-2027', 'meetup-2027-03']) {
      const { id } = await app.db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
      await app.db
        .insertInto('cfp_settings')
        .values({
          event_id: id,
          opens_at: '2026-01-01T00:00:00Z',
          closes_at: '2030-01-01T00:00:00Z',
          closed_at: null,
          call_text: 'Propose!',
          formats: '[{"kind":"talk","durationMinutes":30}]',
          created_at: now,
          updated_at: now,
        })
        .execute();
      const user = await app.db
        .insertInto('users')
        .values({
          email: `${slug}.${CANARY_EMAIL}`,
          email_verified_at: now,
          password_hash: null,
          display_name: 'Canary Speaker',
          is_admin: 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const p = await app.db
        .insertInto('proposals')
        .values({
          event_id: id,
          code: 'CANARY',
          state: 'submitted',
          title: 'Canary proposal',
          kind: 'talk',
          duration_minutes: 30,
          abstract: CANARY_TEXT,
          description: '',
          track_id: null,
          language: 'en',
          level: null,
          notes: CANARY_TEXT,
          submitted_by: user.id,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await app.db.insertInto('proposal_speakers').values({ proposal_id: p.id, position: 0, email: CANARY_EMAIL, user_id: user.id }).execute();
    }
    const full = await api.openApi();
    // The public API only: the token APIs (/api/v1/manage, /api/v1/me) serve their token holder's
    // own data by design and have their own tests (test/api-manage, test/api-me).
    doc = { ...full, paths: Object.fromEntries(Object.entries(full.paths).filter(([p]) => !p.startsWith('/api/v1/manage/') && !p.startsWith('/api/v1/me/'))) };
  });
  after(async () => {
    await app.close();
  });

  const get = async (path: string) => {
    const res = await api.get(path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    responses.push({ path, res });
    return res;
  };

  test('walking every documented route with real parameters finds no canary, e-mail or unpublished data', async () => {
    const templates = Object.keys(doc.paths);
    const visited = new Set<string>();
    const slugs = ((await get('/api/v1/events')).body.data as { slug: string }[]).map((e) => e.slug);
    visited.add('/api/v1/events');
    assert.deepEqual(slugs, ['meetup-2027-03', 'testconf-2027']);
    for (const slug of slugs) {
      const e = `/api/v1/events/${slug}`;
      const sessions = (await get(`${e}/sessions`)).body.data as { code: string; day: string; room: string | null; track: string | null; kind: string }[];
      const speakers = (await get(`${e}/speakers`)).body.data as { code: string }[];
      const values = (k: 'day' | 'room' | 'track' | 'kind') => [...new Set(sessions.map((s) => s[k]).filter((x): x is string => x !== null))];
      for (const template of templates) {
        if (!template.includes('{slug}')) continue;
        visited.add(template);
        const path = template.replace('{slug}', slug);
        if (template.endsWith('/sessions/{code}')) for (const s of sessions) await get(path.replace('{code}', s.code));
        else if (template.endsWith('/speakers/{code}')) for (const p of speakers) await get(path.replace('{code}', p.code));
        else if (template.endsWith('/sessions')) {
          for (const k of ['day', 'room', 'track', 'kind'] as const) for (const v of values(k)) await get(`${path}?${k}=${encodeURIComponent(v)}`);
        } else await get(path);
      }
    }
    assert.deepEqual([...visited].sort(), [...templates].sort(), 'every documented route was walked');
    assert.ok(responses.length > 30, `${responses.length} responses`);

    for (const { path, res } of responses) {
      assert.doesNotMatch(res.text, /canary|CANARY|reviewerScore/, path);
      assert.doesNotMatch(res.text, /UNPUBLISHED|unpublished-2027|hidden-talk/, path);
      for (const [at, s] of strings(res.body)) assert.doesNotMatch(s, EMAIL, `${path} ${at}`);
    }
  });

  test('the planted snapshot really is the one the routes read', async () => {
    // Guards the walk above against testing a copy: the canaries are on the served objects.
    const snap = await app.hallway.ctx.snapshots.published('testconf-2027');
    assert.equal((snap.speakers[0] as unknown as { email: string }).email, CANARY_EMAIL);
    const keynote = snap.sessionByCode.get('keynote')!;
    assert.equal((keynote.links[0] as unknown as { email: string }).email, CANARY_EMAIL);
    assert.equal((snap.event.hosts[0] as unknown as { email: string }).email, CANARY_EMAIL);
    const r = await api.get('/api/v1/events/testconf-2027/speakers/ada');
    assert.deepEqual(r.body.data.handles, { website: 'https://ada.example.org', bluesky: 'ada.example.org', github: 'ada-example' });
  });

  test('the event list drops a field its rows might carry in future', () => {
    const row = {
      id: 7,
      slug: 'x',
      kind: 'meetup',
      title: 'X',
      acronym: '',
      timeZone: 'UTC',
      startDate: '2027-01-01',
      endDate: '2027-01-01',
      venueName: 'V',
      version: 3,
      updatedAt: '2027-01-01T00:00:00Z',
      communitySlug: 'c',
      communityName: 'C',
      cancelled: false,
      organiserEmail: CANARY_EMAIL,
    } as EventListItem;
    const json = JSON.stringify(toEventSummaryJson(row, 'https://h.example'));
    assert.doesNotMatch(json, /canary|"id"|version|updatedAt/);
  });

  test('every response schema is closed and declares no private-looking field', () => {
    const problems: string[] = [];
    const walk = (s: unknown, at: string) => {
      if (!s || typeof s !== 'object') return;
      if (Array.isArray(s)) return s.forEach((x, i) => walk(x, `${at}[${i}]`));
      const o = s as Record<string, unknown>;
      if (o.properties) {
        if (o.additionalProperties !== false) problems.push(`${at}: additionalProperties is not false`);
        for (const k of Object.keys(o.properties)) if (PRIVATE_KEY.test(k)) problems.push(`${at}.${k}: looks private`);
      } else if (o.type === 'object') problems.push(`${at}: object without properties`);
      for (const [k, v] of Object.entries(o)) if (k !== 'enum' && k !== 'default' && k !== 'const') walk(v, `${at}/${k}`);
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [status, r] of Object.entries(item.get!.responses)) walk(r.content?.['application/json']?.schema, `${path} ${status}`);
    }
    assert.deepEqual(problems, []);
  });

  test('the published response schemas alone strip unknown keys at every depth', async () => {
    // Second line of defence, independent of the serializers: the documented 200 schema of each
    // route, compiled by Fastify (fast-json-stringify), given real bodies with canaries added to
    // every object, writes back exactly the real body.
    const byTemplate = new Map<string, unknown>();
    for (const { path, res } of responses) {
      const template = Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
      if (!byTemplate.has(template)) byTemplate.set(template, res.body);
    }
    assert.equal(byTemplate.size, Object.keys(doc.paths).length);
    const probe = Fastify({ logger: false });
    let i = 0;
    for (const [template, body] of byTemplate) {
      const schema = doc.paths[template]!.get!.responses['200']!.content!['application/json']!.schema;
      probe.get(`/probe/${i++}`, { schema: { response: { 200: schema } } }, async () => plantedCopy(body));
    }
    await probe.ready();
    i = 0;
    for (const [template, body] of byTemplate) {
      const r = await probe.inject({ method: 'GET', url: `/probe/${i++}` });
      assert.equal(r.statusCode, 200, template);
      assert.doesNotMatch(r.body, /canary|CANARY/, template);
      assert.deepEqual(JSON.parse(r.body), body, template);
    }
    await probe.close();
  });
});
