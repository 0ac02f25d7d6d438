import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Clock } from '../../lib/clock.js';
import { slugify } from '../../lib/slug.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent, canManageSeries } from '../accounts/account.policy.js';
import { recordAudit } from '../accounts/audit.queries.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from './event.errors.js';
import { withEventWrite } from './event-write.js';
import { definedOnly, ensureAllowed, uniqueAs, type Trx } from './event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { SeriesErrors } from './series.errors.js';
import { clockOf, findSeriesRow, ruleOf, toSeriesRecord, type SeriesRecord } from './series.queries.js';
import { CreateSeriesSchema, UpdateSeriesSchema, type SeriesInput } from './series.schemas.js';
import { describeRecurrence, ordinalNumber, planSeries, weekdayNumber, type PlannedOccurrence, type Recurrence, type SeriesClock } from './series.js';

/*
 * Use cases of event series. A series is a template (title pattern, venue, capacity, description,
 * zone, local start/end time, agenda skeleton) plus a recurrence rule; generating it creates one
 * ordinary draft event per date, with its agenda sessions, and records the date in
 * series_occurrences. Every recorded date is skipped by later runs, whatever became of its event
 * (edited, cancelled, deleted), so re-running is idempotent and never overwrites a change made to
 * one occurrence (cancelling one is registration's cancelEvent, as for any event). Editing the
 * template changes only occurrences generated afterwards; events already generated keep what
 * they were generated with.
 */

/** The rule and clock of valid input, and every occurrence it makes; or VALIDATION_FAILED. */
function planOf(data: SeriesInput): { rule: Recurrence; clock: SeriesClock; occurrences: PlannedOccurrence[] } {
  const weekday = weekdayNumber(data.weekday);
  const rule: Recurrence =
    data.frequency === 'weekly'
      ? { frequency: 'weekly', weekday, intervalWeeks: data.intervalWeeks, startsOn: data.startsOn, endsOn: data.endsOn, count: data.count }
      : { frequency: 'monthly', weekday, ordinal: ordinalNumber(data.ordinal ?? 'first'), startsOn: data.startsOn, endsOn: data.endsOn, count: data.count };
  const clock: SeriesClock = {
    timeZone: data.timeZone,
    startTime: data.startTime,
    endTime: data.endTime,
    titlePattern: data.titlePattern,
    agenda: data.agenda,
  };
  const plan = planSeries(clock, rule);
  if (!plan.ok) throw EventErrors.validationFailed(plan.problems);
  return { rule, clock, occurrences: plan.occurrences };
}

/**
 * The occurrences a series' input would make, for the form's preview. Pure (no I/O).
 * @throws VALIDATION_FAILED (422) with every problem of the input.
 */
export function previewSeries(input: unknown): { description: string; occurrences: PlannedOccurrence[] } {
  const plan = planOf(parseInput(CreateSeriesSchema, input));
  return { description: describeRecurrence(plan.rule), occurrences: plan.occurrences };
}

function toColumns(d: SeriesInput, rule: Recurrence) {
  return {
    name: d.name,
    slug: d.slug,
    title_pattern: d.titlePattern,
    kind: d.kind,
    description: d.description,
    venue_name: d.venueName,
    venue_address: d.venueAddress,
    venue_url: d.venueUrl,
    capacity: d.capacity,
    time_zone: d.timeZone,
    start_time: d.startTime,
    end_time: d.endTime,
    agenda: JSON.stringify(d.agenda),
    frequency: rule.frequency,
    weekday: rule.weekday,
    ordinal: rule.frequency === 'monthly' ? rule.ordinal : null,
    interval_weeks: rule.frequency === 'weekly' ? rule.intervalWeeks : null,
    starts_on: rule.startsOn,
    ends_on: rule.endsOn,
    occurrence_count: rule.count,
  };
}

async function assertSeriesSlugFree(trx: Trx, slug: string, self: number | null): Promise<void> {
  const clash = await trx.selectFrom('event_series').select('id').where('slug', '=', slug).executeTakeFirst();
  if (clash && clash.id !== self) throw SeriesErrors.slugTaken(slug);
}

/**
 * Creates a series in a community (nothing is generated yet: see generateOccurrences).
 * Side effects, in one transaction: event_series row, audit row.
 * @throws VALIDATION_FAILED (422: a field; `weekday`/`ordinal` unknown; `endsOn` before
 *   `startsOn`, or no end; more than 60 occurrences; an agenda item past the end time; a wall
 *   time skipped by daylight saving on one of the dates), FORBIDDEN (403: not an owner/organizer
 *   of the community), NOT_FOUND (404: community), SLUG_TAKEN (409).
 */
export async function createSeries(ctx: ModuleContext, actor: Actor | null, communityId: number, input: unknown): Promise<SeriesRecord> {
  ensureAllowed(canManageSeries(actor, communityId), 'create series in this community');
  const data = parseInput(CreateSeriesSchema, input);
  const { rule, occurrences } = planOf(data);
  return uniqueAs(
    () => SeriesErrors.slugTaken(data.slug),
    () =>
      ctx.db.transaction().execute(async (trx) => {
        const community = await trx.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
        if (!community) throw EventErrors.notFound('community', communityId);
        await assertSeriesSlugFree(trx, data.slug, null);
        const ts = ctx.clock.instant();
        const row = await trx
          .insertInto('event_series')
          .values({ community_id: communityId, ...toColumns(data, rule), created_at: ts, updated_at: ts })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, {
          actor,
          communityId,
          eventId: null,
          action: 'series.created',
          entityType: 'series',
          entityId: row.id,
          summary: `Created series "${row.name}": ${describeRecurrence(rule)} (${occurrences.length} occurrences)`,
          at: ts,
        });
        return toSeriesRecord(row);
      }),
  );
}

/**
 * Changes a series' template or rule (absent fields are kept). Only occurrences generated after
 * this change follow it: events already generated are left as they are.
 * Side effects, in one transaction: event_series row, audit row.
 * @throws as createSeries; NOT_FOUND (404: series).
 */
export async function updateSeries(ctx: ModuleContext, actor: Actor | null, seriesId: number, input: unknown): Promise<SeriesRecord> {
  const partial = parseInput(UpdateSeriesSchema, input);
  const before = await findSeriesRow(ctx.db, seriesId);
  ensureAllowed(canManageSeries(actor, before.community_id), 'edit this series');
  const data = parseInput(CreateSeriesSchema, { ...toSeriesRecord(before), ...definedOnly(partial) });
  const { rule } = planOf(data);
  return uniqueAs(
    () => SeriesErrors.slugTaken(data.slug),
    () =>
      ctx.db.transaction().execute(async (trx) => {
        if (data.slug !== before.slug) await assertSeriesSlugFree(trx, data.slug, seriesId);
        const ts = ctx.clock.instant();
        const row = await trx
          .updateTable('event_series')
          .set({ ...toColumns(data, rule), updated_at: ts })
          .where('id', '=', seriesId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw EventErrors.notFound('series', seriesId);
        await recordAudit(trx, {
          actor,
          communityId: row.community_id,
          eventId: null,
          action: 'series.updated',
          entityType: 'series',
          entityId: seriesId,
          summary: `Updated series "${row.name}": ${describeRecurrence(rule)}; applies to occurrences not generated yet`,
          at: ts,
        });
        return toSeriesRecord(row);
      }),
  );
}

export interface GenerationResult {
  readonly created: ReadonlyArray<{ date: string; eventId: number; slug: string; title: string }>;
  /** Dates already generated earlier (whatever became of their events). */
  readonly alreadyGenerated: readonly string[];
  /** Dates before today in the series' zone, never generated. */
  readonly past: readonly string[];
}

/**
 * Creates a draft event, with the template's agenda as confirmed sessions, for every date of the
 * series from today (in its zone) on that was never generated before. Idempotent: a second run
 * creates nothing. Runs in one transaction that first locks the series row, so two runs at once
 * cannot both create a date (and the (series, date) unique index backs that up).
 * Side effects: events, sessions and series_occurrences rows; one audit row per event and one
 * for the run.
 * @throws FORBIDDEN (403), NOT_FOUND (404: series), VALIDATION_FAILED (422: the stored template
 *   no longer plans, e.g. after a change of the zone's rules).
 */
export async function generateOccurrences(
  ctx: ModuleContext,
  actor: Actor | null,
  seriesId: number,
  options: { today?: string } = {},
): Promise<GenerationResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const series = await trx
      .updateTable('event_series')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', seriesId)
      .returningAll()
      .executeTakeFirst();
    if (!series) throw EventErrors.notFound('series', seriesId);
    ensureAllowed(canManageSeries(actor, series.community_id), 'generate the events of this series');
    const plan = planSeries(clockOf(series), ruleOf(series));
    if (!plan.ok) throw EventErrors.validationFailed(plan.problems);
    const today = options.today ?? DateTime.fromJSDate(ctx.clock.now()).setZone(series.time_zone).toISODate()!;
    const taken = new Set(
      (await trx.selectFrom('series_occurrences').select('occurrence_date').where('series_id', '=', seriesId).execute()).map((r) => r.occurrence_date),
    );
    const created: Array<{ date: string; eventId: number; slug: string; title: string }> = [];
    const alreadyGenerated: string[] = [];
    const past: string[] = [];
    for (const occ of plan.occurrences) {
      if (taken.has(occ.date)) alreadyGenerated.push(occ.date);
      else if (occ.date < today) past.push(occ.date);
      else created.push(await createOccurrence(trx, ctx.clock, actor, series, occ));
    }
    await recordAudit(trx, {
      actor,
      communityId: series.community_id,
      eventId: null,
      action: 'series.generated',
      entityType: 'series',
      entityId: seriesId,
      summary: `Generated ${created.length} draft event${created.length === 1 ? '' : 's'} of "${series.name}"${created.length ? `: ${created.map((c) => c.date).join(', ')}` : ''}`,
      at: ctx.clock.instant(),
    });
    return { created, alreadyGenerated, past };
  });
}

async function createOccurrence(trx: Trx, clock: Clock, actor: Actor | null, series: Awaited<ReturnType<typeof findSeriesRow>>, occ: PlannedOccurrence) {
  const ts = clock.instant();
  const slug = await freeEventSlug(trx, `${series.slug}-${occ.date}`);
  const event = await trx
    .insertInto('events')
    .values({
      community_id: series.community_id,
      slug,
      kind: series.kind,
      title: occ.title,
      acronym: '',
      time_zone: series.time_zone,
      start_date: occ.startDate,
      end_date: occ.endDate,
      day_change: occ.dayChange,
      venue_name: series.venue_name,
      venue_address: series.venue_address,
      venue_url: series.venue_url,
      description: series.description,
      code_of_conduct_url: null,
      url: null,
      capacity: series.capacity,
      published: 0,
      version: 1,
      created_at: ts,
      updated_at: ts,
    })
    .returning(['id', 'slug', 'title'])
    .executeTakeFirstOrThrow();
  const codes = new Set<string>();
  for (const s of occ.sessions) {
    const base = slugify(s.title);
    let code = base;
    for (let n = 2; codes.has(code); n++) code = `${base}-${n}`;
    codes.add(code);
    await trx
      .insertInto('sessions')
      .values({
        event_id: event.id,
        code,
        guid: randomUUID(),
        kind: s.kind,
        status: 'confirmed',
        title: s.title,
        level: null,
        track_id: null,
        room_id: null,
        sponsor_id: null,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        duration_minutes: s.durationMinutes,
        created_at: ts,
        updated_at: ts,
      })
      .execute();
  }
  await trx.insertInto('series_occurrences').values({ series_id: series.id, occurrence_date: occ.date, event_id: event.id, created_at: ts }).execute();
  await recordAudit(trx, {
    actor,
    communityId: series.community_id,
    eventId: event.id,
    action: 'event.created',
    entityType: 'event',
    entityId: event.id,
    summary: `Generated "${event.title}" (${event.slug}) from series "${series.name}" for ${occ.date}, as a draft with ${occ.sessions.length} session${occ.sessions.length === 1 ? '' : 's'}`,
    at: ts,
  });
  return { date: occ.date, eventId: event.id, slug: event.slug, title: event.title };
}

/** `base`, or `base-2`, `base-3`… when another event has it (event slugs are instance-wide). */
async function freeEventSlug(trx: Trx, base: string): Promise<string> {
  const used = new Set(
    (
      await trx
        .selectFrom('events')
        .select('slug')
        .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
        .execute()
    ).map((r) => r.slug),
  );
  let slug = base;
  for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

async function occurrenceOf(trx: Trx, eventId: number): Promise<{ series_id: number }> {
  const occ = await trx.selectFrom('series_occurrences').select('series_id').where('event_id', '=', eventId).executeTakeFirst();
  if (!occ) throw EventErrors.notFound('series occurrence', eventId);
  return occ;
}

/**
 * Deletes one occurrence that is still a draft nobody has RSVPed to; its date stays recorded, so
 * it is not generated again.
 * Side effects, in one transaction: the event and everything in it, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), OCCURRENCE_NOT_DELETABLE (409: published, or has RSVPs).
 */
export async function deleteOccurrence(ctx: ModuleContext, actor: Actor | null, eventId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'delete this event' }, async ({ trx, event, audit }) => {
    await occurrenceOf(trx, eventId);
    if (event.published === 1) throw SeriesErrors.notDeletable(event.title, 'it is published');
    const rsvps = await trx
      .selectFrom('rsvps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    if (Number(rsvps.n) > 0) throw SeriesErrors.notDeletable(event.title, 'people have RSVPed to it');
    await trx.deleteFrom('events').where('id', '=', eventId).execute();
    audit({
      action: 'event.deleted',
      entityType: 'event',
      entityId: eventId,
      summary: `Deleted draft "${event.title}" (${event.start_date}); its date will not be generated again`,
    });
    return undefined;
  });
}
