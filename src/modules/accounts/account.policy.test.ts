import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, RoleGrant } from './actor.js';
import { canEditSession, canGrantRole, canManageCommunity, canManageEvent, canViewBackOffice, canAdministerSite, editableTrackIds } from './account.policy.js';

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
    ['owner of community of A', true, true, true, true],
    ['owner of event A', true, true, false, false],
  ]);
});
