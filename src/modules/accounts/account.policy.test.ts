import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, RoleGrant } from './actor.js';
import {
  canAdministerSite,
  canCheckInAttendees,
  canCreateApiToken,
  canCreateCommunity,
  canEditSession,
  canGrantRole,
  canManageCommunity,
  canManageEvent,
  canViewBackOffice,
  editableTrackIds,
} from './account.policy.js';

const A = { eventId: 1, communityId: 10 };
const B = { eventId: 2, communityId: 20 };
const actor = (grants: RoleGrant[], isAdmin = false): Actor => ({ userId: 1, displayName: 'X', isAdmin, emailVerified: true, grants });
const g = (scope: 'event' | 'community', scopeId: number, role: RoleGrant['role'], trackIds: number[] = []): RoleGrant => ({ scope, scopeId, role, trackIds });

const people: Record<string, Actor | null> = {
  anonymous: null,
  attendee: actor([]),
  admin: actor([], true),
  'owner of A': actor([g('event', 1, 'owner')]),
  'organizer of community of A': actor([g('community', 10, 'organizer')]),
  'organizer of B': actor([g('event', 2, 'organizer')]),
  'track manager of A (track 5)': actor([g('event', 1, 'track_manager', [5])]),
  'reviewer of A': actor([g('event', 1, 'reviewer')]),
  'speaker of A': actor([g('event', 1, 'speaker')]),
  'volunteer of A': actor([g('event', 1, 'volunteer')]),
  'volunteer of community of A': actor([g('community', 10, 'volunteer')]),
  'volunteer of B': actor([g('event', 2, 'volunteer')]),
};

test('who may manage event A, open its back office, and edit a session in track 5 or 6', () => {
  const table = Object.entries(people).map(([name, a]) => [
    name,
    canManageEvent(a, A),
    canViewBackOffice(a, A),
    canEditSession(a, A, { trackId: 5 }),
    canEditSession(a, A, { trackId: 6 }),
    canEditSession(a, A, { trackId: null }),
  ]);
  assert.deepEqual(table, [
    ['anonymous', false, false, false, false, false],
    ['attendee', false, false, false, false, false],
    ['admin', true, true, true, true, true],
    ['owner of A', true, true, true, true, true],
    ['organizer of community of A', true, true, true, true, true],
    ['organizer of B', false, false, false, false, false],
    ['track manager of A (track 5)', false, true, true, false, false],
    ['reviewer of A', false, false, false, false, false],
    ['speaker of A', false, false, false, false, false],
    ['volunteer of A', false, false, false, false, false],
    ['volunteer of community of A', false, false, false, false, false],
    ['volunteer of B', false, false, false, false, false],
  ]);
});

test('an organizer of event B has no power over event A, and vice versa', () => {
  assert.equal(canManageEvent(people['organizer of B']!, B), true);
  assert.equal(canManageEvent(people['owner of A']!, B), false);
  assert.equal(canManageCommunity(people['owner of A']!, 10), false, 'an event grant is not a community grant');
  assert.equal(canManageCommunity(people['organizer of community of A']!, 10), true);
});

test('editable tracks and site administration', () => {
  assert.equal(editableTrackIds(people['owner of A']!, A), 'all');
  assert.deepEqual(editableTrackIds(people['track manager of A (track 5)']!, A), [5]);
  assert.deepEqual(editableTrackIds(people['track manager of A (track 5)']!, B), []);
  assert.equal(canAdministerSite(people.admin!), true);
  assert.equal(canAdministerSite(people['owner of A']!), false);
});

test('who may grant which role in event A or in the community of A', () => {
  const eventA = { scope: 'event' as const, ...A };
  const communityA = { scope: 'community' as const, communityId: A.communityId };
  const communityOwner = actor([g('community', 10, 'owner')]);
  const eventOwner = actor([g('event', 1, 'owner')]);
  const table = Object.entries({ ...people, 'owner of community of A': communityOwner, 'owner of event A': eventOwner }).map(([name, a]) => [
    name,
    canGrantRole(a, eventA, 'reviewer'),
    canGrantRole(a, eventA, 'owner'),
    canGrantRole(a, communityA, 'organizer'),
    canGrantRole(a, communityA, 'owner'),
  ]);
  assert.deepEqual(table, [
    ['anonymous', false, false, false, false],
    ['attendee', false, false, false, false],
    ['admin', true, true, true, true],
    ['owner of A', true, true, false, false],
    ['organizer of community of A', true, false, true, false],
    ['organizer of B', false, false, false, false],
    ['track manager of A (track 5)', false, false, false, false],
    ['reviewer of A', false, false, false, false],
    ['speaker of A', false, false, false, false],
    ['volunteer of A', false, false, false, false],
    ['volunteer of community of A', false, false, false, false],
    ['volunteer of B', false, false, false, false],
    ['owner of community of A', true, true, true, true],
    ['owner of event A', true, true, false, false],
  ]);
});

test('who may check people in at event A: the back-office team and its volunteers, nobody else', () => {
  const table = Object.entries(people).map(([name, a]) => [name, canCheckInAttendees(a, A)]);
  assert.deepEqual(table, [
    ['anonymous', false],
    ['attendee', false],
    ['admin', true],
    ['owner of A', true],
    ['organizer of community of A', true],
    ['organizer of B', false],
    ['track manager of A (track 5)', true],
    ['reviewer of A', false],
    ['speaker of A', false],
    ['volunteer of A', true],
    ['volunteer of community of A', true],
    ['volunteer of B', false],
  ]);
});

test('an organizer may grant and invite the volunteer role; a volunteer may grant nothing', () => {
  const eventA = { scope: 'event' as const, ...A };
  assert.equal(canGrantRole(people['owner of A']!, eventA, 'volunteer'), true);
  assert.equal(canGrantRole(people['organizer of community of A']!, { scope: 'community', communityId: 10 }, 'volunteer'), true);
  assert.equal(canGrantRole(people['volunteer of A']!, eventA, 'volunteer'), false);
  assert.equal(canGrantRole(people['track manager of A (track 5)']!, eventA, 'volunteer'), false);
});

test('an unconfirmed address organizes nothing, whatever it was granted, and creates no API token', () => {
  const unconfirmed = (grants: RoleGrant[]): Actor => ({ ...actor(grants), emailVerified: false });
  const owner = unconfirmed([g('community', 10, 'owner'), g('event', 1, 'owner')]);
  assert.deepEqual(
    [canManageEvent(owner, A), canManageCommunity(owner, 10), canViewBackOffice(owner, A), canEditSession(owner, A, { trackId: null })],
    [false, false, false, false],
  );
  assert.equal(canCreateApiToken(owner), false);
  assert.equal(canCreateApiToken(actor([])), true);
});

test('who may start a community, by COMMUNITY_CREATORS and an administrator allowing them', () => {
  const unconfirmed: Actor = { ...actor([]), emailVerified: false };
  const rows = [
    ['anonymous', null, false],
    ['unconfirmed, allowed', unconfirmed, true],
    ['confirmed', actor([]), false],
    ['confirmed, allowed', actor([]), true],
    ['admin', actor([], true), false],
  ] as const;
  assert.deepEqual(
    rows.map(([name, a, allowed]) => [name, canCreateCommunity(a, 'allowed', allowed), canCreateCommunity(a, 'confirmed', allowed)]),
    [
      ['anonymous', false, false],
      ['unconfirmed, allowed', false, false],
      ['confirmed', false, true],
      ['confirmed, allowed', true, true],
      ['admin', true, true],
    ],
  );
});
