import { z } from 'zod';
import { CANCELLATION_REASON_MAX, EVENT_KINDS, HOST_ROLES, SPONSOR_LEVELS } from './event.js';
import {
  blankRow,
  clockField,
  dateField,
  enumField,
  intField,
  optionalText,
  optionalUrl,
  requiredId,
  requiredText,
  rowList,
  slugField,
  timeZoneField,
} from '../../lib/form-fields.js';

/*
 * Input schemas of the community, event, host and sponsor actions. Each accepts a form post
 * (strings, blank = none) or JSON; unknown fields (a CSRF token, a submit button) are ignored.
 * `Update…Schema` is the `.partial()` of the create schema: an absent field keeps its value.
 */

export const CommunitySchema = z.object({
  slug: slugField,
  name: requiredText(200),
  description: optionalText(20_000),
  url: optionalUrl,
});
export const UpdateCommunitySchema = CommunitySchema.partial();
export type CommunityInput = z.output<typeof CommunitySchema>;

const eventFields = {
  slug: slugField,
  kind: enumField(EVENT_KINDS),
  title: requiredText(200),
  acronym: optionalText(40),
  timeZone: timeZoneField,
  startDate: dateField,
  endDate: dateField,
  /** Local time at which one programme day ends and the next begins (sessions at 01:00 belong to the day before). */
  dayChange: clockField('04:00'),
  venueName: optionalText(200),
  venueAddress: optionalText(500),
  venueUrl: optionalUrl,
  description: optionalText(50_000),
  codeOfConductUrl: optionalUrl,
  url: optionalUrl,
  capacity: intField(1, 1_000_000, { nullable: true }),
};

/** createEvent: the community it belongs to plus the event's fields. New events are drafts. */
export const CreateEventSchema = z.object({ communityId: requiredId, ...eventFields });
/** updateEvent: any subset of the event's fields (the community cannot change). */
export const UpdateEventSchema = z.object(eventFields).partial();
export type CreateEventInput = z.output<typeof CreateEventSchema>;
export type EventFields = z.output<z.ZodObject<typeof eventFields>>;

export const HostSchema = z.object({
  name: requiredText(200),
  role: enumField(HOST_ROLES, 'host'),
  url: optionalUrl,
});

/** setEventHosts: the whole ordered list (form rows with every field blank are dropped). */
export const SetHostsSchema = z.object({
  hosts: rowList(HostSchema, 50, blankRow('name', 'url')),
});
export type HostInput = z.output<typeof HostSchema>;

export const SponsorSchema = z.object({
  name: requiredText(200),
  level: enumField(SPONSOR_LEVELS, 'community'),
  url: optionalUrl,
  logoUrl: optionalUrl,
  contribution: optionalText(500),
});
export const UpdateSponsorSchema = SponsorSchema.partial();
export type SponsorInput = z.output<typeof SponsorSchema>;

/** Calling an event off: the reason is required, because attendees see it (page and mail). */
export const CancelEventSchema = z.object({ reason: requiredText(CANCELLATION_REASON_MAX) });
export type CancelEventInput = z.output<typeof CancelEventSchema>;
