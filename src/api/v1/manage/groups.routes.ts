import type { FastifyInstance } from 'fastify';
import { CreateSeriesSchema, UpdateSeriesSchema } from '../../../modules/events/series.schemas.js';
import type { AppContext } from '../../../http/context.js';
import { listMembers } from '../../../modules/events/membership.queries.js';
import { createSeries, generateOccurrences, updateSeries } from '../../../modules/events/series.actions.js';
import { getSeries, listSeries } from '../../../modules/events/series.queries.js';
import { FREQUENCIES, ORDINALS, WEEKDAYS } from '../../../modules/events/series.js';
import { EVENT_KINDS } from '../../../modules/events/event.js';
import { SESSION_KINDS } from '../../../modules/program/session.js';
import { arrayOf, bool, date, enumOf, instant, int, listOf, nullable, object, one, str } from '../zod-schema.js';
import { manageRoute } from './route.js';

const MemberSchema = object({
  userId: int(),
  displayName: str(),
  email: str(),
  joinedAt: instant('UTC.'),
  roles: arrayOf(str(), 'The person’s roles in the community.'),
});

const agendaItem = object({ kind: enumOf(SESSION_KINDS), title: str(), offsetMinutes: int('Minutes after the start time.'), durationMinutes: int() });

const seriesFields = {
  name: str(),
  slug: str(),
  titlePattern: str('{n}, {date} and {month} are replaced per occurrence.'),
  kind: enumOf(EVENT_KINDS),
  description: str('Markdown.'),
  venueName: str(),
  venueAddress: str(),
  venueUrl: nullable(str()),
  capacity: nullable(int()),
  timeZone: str('IANA zone.'),
  startTime: str('Local HH:MM.'),
  endTime: str('Local HH:MM.'),
  agenda: arrayOf(agendaItem, 'Sessions each occurrence gets.'),
  frequency: enumOf(FREQUENCIES),
  weekday: enumOf(WEEKDAYS),
  ordinal: nullable(enumOf(ORDINALS, 'Monthly: which weekday of the month.')),
  intervalWeeks: int('Weekly: every this many weeks.'),
  startsOn: date('First possible date.'),
  endsOn: nullable(date('Last possible date.')),
  count: nullable(int('Number of occurrences (at most 60).')),
};

const SeriesSchema = object({ id: int(), communityId: int(), ...seriesFields, createdAt: instant('UTC.'), updatedAt: instant('UTC.') });
const OccurrenceSchema = object({
  date: date('Local date.'),
  eventId: nullable(int('null once the event was deleted.')),
  slug: nullable(str()),
  title: nullable(str()),
  published: bool(),
  cancelled: bool(),
});

/** A community's member list and its event series (list, create, read, change, generate). */
export async function groupRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;

  manageRoute(app, {
    method: 'GET',
    url: '/communities/:communityId/members',
    params: ['communityId'],
    operationId: 'listCommunityMembers',
    summary: 'Community members',
    description: 'Owners and organizers of the community: its members with e-mail addresses and roles, earliest first.',
    ok: { status: 200, schema: listOf(MemberSchema, 'The members.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: (await listMembers(db, actor, ids.communityId!)).members }),
  });

  manageRoute(app, {
    method: 'GET',
    url: '/communities/:communityId/series',
    params: ['communityId'],
    operationId: 'listSeries',
    summary: 'Event series of a community',
    description: 'Owners and organizers of the community, by name.',
    ok: { status: 200, schema: listOf(SeriesSchema, 'The series.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: (await listSeries(db, actor, ids.communityId!)).series }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/communities/:communityId/series',
    params: ['communityId'],
    operationId: 'createSeries',
    summary: 'Create an event series',
    description: 'Owners and organizers. Nothing is generated yet: see …/generate. SLUG_TAKEN (409).',
    body: CreateSeriesSchema.describe(
      'A series template and its rule. VALIDATION_FAILED (422) names each bad field (also a rule that makes more than 60 occurrences, or none).',
    ),
    ok: { status: 201, schema: one(SeriesSchema, 'The new series.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const s = await createSeries(ctx, actor, ids.communityId!, request.body);
      reply.header('Location', `/api/v1/manage/series/${s.id}`);
      return { data: s };
    },
  });

  manageRoute(app, {
    method: 'GET',
    url: '/series/:seriesId',
    params: ['seriesId'],
    operationId: 'getSeries',
    summary: 'One series with its occurrences',
    description: 'Owners and organizers of its community. Every date generated so far, with its event.',
    ok: { status: 200, schema: one(object({ series: SeriesSchema, occurrences: arrayOf(OccurrenceSchema) }), 'The series.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => {
      const s = await getSeries(db, actor, ids.seriesId!);
      return { data: { series: s.series, occurrences: s.occurrences } };
    },
  });

  manageRoute(app, {
    method: 'PATCH',
    url: '/series/:seriesId',
    params: ['seriesId'],
    operationId: 'updateSeries',
    summary: 'Change a series',
    description: 'Absent fields are kept. Only occurrences generated afterwards follow the change.',
    body: UpdateSeriesSchema.describe('Fields of the template and rule to change; absent ones are kept.'),
    ok: { status: 200, schema: one(SeriesSchema, 'The series as changed.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await updateSeries(ctx, actor, ids.seriesId!, request.body) }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/series/:seriesId/generate',
    params: ['seriesId'],
    operationId: 'generateOccurrences',
    summary: 'Generate the occurrences',
    description: 'Creates a draft event (with the agenda) for every date from today on that was never generated. Idempotent: a second run creates nothing.',
    ok: {
      status: 200,
      schema: one(
        object({
          created: arrayOf(object({ date: date('Local date.'), eventId: int(), slug: str(), title: str() })),
          alreadyGenerated: arrayOf(date('Local date.')),
          past: arrayOf(date('Local date.'), 'Dates before today, never generated.'),
        }),
        'What was generated.',
      ),
    },
    errors: [400, 403, 404, 422],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await generateOccurrences(ctx, actor, ids.seriesId!) }),
  });
}
