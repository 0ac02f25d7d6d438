import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../../http/context.js';
import { EventErrors } from '../../../modules/events/event.errors.js';
import { getCommunityForEditing } from '../../../modules/events/community.queries.js';
import { getEventForEditing } from '../../../modules/program/backoffice.queries.js';
import { importSchedule, type ScheduleImportOptions, type ScheduleImportSummary } from '../../../modules/schedule/schedule-import.actions.js';
import { downloadUrl } from '../../../modules/schedule/safe-download.js';
import { ApiErrors } from '../api.errors.js';
import { manageRoute } from './route.js';
import { parsePart } from '../zod-schema.js';
import { ImportBody, ImportQuery, ImportSummarySchema, one } from './schemas.js';

/** A `{"url": …}` body is tiny; anything longer is a schedule and is not parsed twice. */
const URL_BODY_MAX = 8 * 1024;

const IMPORT_ERRORS = [400, 403, 404, 409, 413, 415, 422, 502, 504] as const;

/**
 * Schedule import (frab XML, C3VOC/frab JSON, or a URL to download one from), creating an event
 * or updating one in place, exactly as `hallway import` does: idempotent, every repair a warning,
 * and nothing written on any error. Organizers only (of the community, to create; of the event,
 * to update). Registered in its own scope: bodies are read raw, up to MAX_IMPORT_BYTES.
 */
export async function importRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/xml', 'text/xml'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const bodyLimit = ctx.config.maxImportBytes;

  manageRoute(app, {
    method: 'POST',
    url: '/events/import',
    operationId: 'importNewEvent',
    summary: 'Create an event from a schedule',
    description:
      'Creates a draft event in the community `communityId` from a frab schedule (the body, or {"url": …} to download it). SLUG_TAKEN (409) when an event already has the slug: import into it with /events/{eventId}/import, or pass another `slug`.',
    query: ImportQuery,
    body: ImportBody,
    bodyLimit,
    ok: { status: 201, schema: one(ImportSummarySchema, 'What was created, with warnings.') },
    errors: IMPORT_ERRORS,
    handler: async (request, reply, { actor }) => {
      const q = query(request);
      if (q.communityId === undefined)
        throw ApiErrors.invalid([{ path: 'querystring.communityId', message: 'is required: the community to create the event in' }]);
      const community = await getCommunityForEditing(db, actor, q.communityId);
      const source = await readSource(ctx, request);
      const summary = await importSchedule(db, source.bytes, {
        writer: actor,
        clock: ctx.clock,
        ...options(ctx, q, source.url),
        community: { slug: community.slug, name: community.name, description: community.description, url: community.url },
        expectEvent: 'new',
        publishNew: false,
      });
      reply.header('Location', `/api/v1/manage/events/${summary.eventId}`);
      return { data: toSummaryJson(summary, false) };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/import',
    params: ['eventId'],
    operationId: 'importIntoEvent',
    summary: 'Update an event from a schedule',
    description:
      'Updates the event in place from a newer version of its frab schedule: sessions are matched by GUID (else code); added, changed and removed ones are counted. Importing the same file again changes nothing. Organizers of the event.',
    query: ImportQuery,
    body: ImportBody,
    bodyLimit,
    ok: { status: 200, schema: one(ImportSummarySchema, 'What changed, with warnings.') },
    errors: IMPORT_ERRORS,
    handler: async (request, _reply, { actor, ids }) => {
      const q = query(request);
      if (q.communityId !== undefined || q.slug !== undefined) {
        throw ApiErrors.invalid([
          { path: q.slug !== undefined ? 'querystring.slug' : 'querystring.communityId', message: 'only applies when creating an event' },
        ]);
      }
      const editing = await getEventForEditing(db, actor, ids.eventId!);
      if (!editing.permissions.manageEvent) throw EventErrors.forbidden('import into this event');
      const source = await readSource(ctx, request);
      const summary = await importSchedule(db, source.bytes, {
        writer: actor,
        clock: ctx.clock,
        ...options(ctx, q, source.url),
        eventSlug: editing.event.slug,
        expectEvent: editing.event.id,
      });
      return { data: toSummaryJson(summary, editing.event.state === 'published') };
    },
  });
}

type ImportParams = z.output<typeof ImportQuery>;

const query = (request: FastifyRequest): ImportParams => parsePart(ImportQuery, request.query, 'querystring');

function options(ctx: AppContext, q: ImportParams, sourceUrl: string | undefined): ScheduleImportOptions {
  return {
    limits: ctx.config.importLimits,
    ...(q.slug ? { eventSlug: q.slug } : {}),
    ...(q.timeZone ? { timeZone: q.timeZone } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
  };
}

/**
 * The schedule's bytes: the body itself, or the download of {"url": …} through the SSRF guard
 * (public addresses only unless IMPORT_ALLOW_PRIVATE_URLS, redirects re-checked, size and time capped).
 */
async function readSource(ctx: AppContext, request: FastifyRequest): Promise<{ bytes: Uint8Array; url?: string }> {
  const body = request.body as Buffer | undefined;
  if (!body || body.length === 0) {
    throw ApiErrors.invalid([{ path: 'body', message: 'is empty: send the schedule (XML or JSON), or {"url": "https://…"}' }]);
  }
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type === 'application/json' && body.length <= URL_BODY_MAX) {
    const parsed = parseJson(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'url' in parsed && !('schedule' in parsed)) {
      const { url, ...rest } = parsed as Record<string, unknown>;
      const problems = [
        ...(typeof url !== 'string' || url.length > 2000 ? [{ path: 'body.url', message: 'must be an http(s) URL of at most 2000 characters' }] : []),
        ...Object.keys(rest).map((k) => ({ path: `body.${k}`, message: 'unknown field (the body is either a schedule or {"url": …})' })),
      ];
      if (problems.length) throw ApiErrors.invalid(problems);
      const download = await downloadUrl(url as string, { maxBytes: ctx.config.maxImportBytes, allowPrivateAddresses: ctx.config.importAllowPrivateUrls });
      return { bytes: download.bytes, url: download.url };
    }
  }
  return { bytes: body };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined; // the importer reports malformed JSON with its exact reason
  }
}

function toSummaryJson(s: ScheduleImportSummary, published: boolean) {
  return {
    event: { id: s.eventId, slug: s.eventSlug, state: published ? 'published' : 'draft', version: s.version },
    created: s.created,
    changed: s.changed,
    format: s.format,
    eventsInFile: s.eventsInFile,
    rooms: s.rooms,
    tracks: s.tracks,
    speakers: s.speakers,
    sessions: s.sessions,
    sponsors: s.sponsors,
    warnings: s.warnings,
  };
}
