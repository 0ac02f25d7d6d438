import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor, RoleGrant } from '../../src/modules/accounts/actor.js';
import { averageScore, cfpWindow, isEditable, nextProposalState, PROPOSAL_STATES, PROPOSAL_TRANSITIONS } from '../../src/modules/cfp/cfp.js';
import { canManageCfp, canReviewProposal, canSubmitProposal, canViewProposal, canViewProposals, reviewableTrackIds } from '../../src/modules/cfp/cfp.policy.js';

describe('proposal state machine', () => {
  test('each transition from each state', () => {
    const table = Object.fromEntries(
      PROPOSAL_STATES.map((s) => [
        s,
        Object.keys(PROPOSAL_TRANSITIONS).map((t) => `${t}:${nextProposalState(s, t as keyof typeof PROPOSAL_TRANSITIONS) ?? '-'}`),
      ]),
    );
    assert.deepEqual(table, {
      submitted: ['withdraw:withdrawn', 'accept:accepted', 'reject:rejected', 'undo:-'],
      accepted: ['withdraw:-', 'accept:-', 'reject:-', 'undo:submitted'],
      rejected: ['withdraw:-', 'accept:-', 'reject:-', 'undo:submitted'],
      withdrawn: ['withdraw:-', 'accept:-', 'reject:-', 'undo:-'],
    });
  });

  test('speakers edit only submitted proposals while the call is open', () => {
    assert.equal(isEditable('submitted', 'open'), true);
    assert.equal(isEditable('submitted', 'closed'), false);
    assert.equal(isEditable('submitted', 'closed_early'), false);
    assert.equal(isEditable('accepted', 'open'), false);
    assert.equal(isEditable('withdrawn', 'open'), false);
  });

  test('the window: opens at its first instant, closes at its last, closing early wins', () => {
    const s = { opensAt: '2027-01-01T09:00:00Z', closesAt: '2027-02-01T09:00:00Z', closedAt: null };
    assert.equal(cfpWindow(s, '2027-01-01T08:59:59Z'), 'not_yet_open');
    assert.equal(cfpWindow(s, '2027-01-01T09:00:00Z'), 'open');
    assert.equal(cfpWindow(s, '2027-02-01T08:59:59Z'), 'open');
    assert.equal(cfpWindow(s, '2027-02-01T09:00:00Z'), 'closed');
    assert.equal(cfpWindow({ ...s, closedAt: '2027-01-10T00:00:00Z' }, '2027-01-15T00:00:00Z'), 'closed_early');
  });

  test('average score, one decimal; none without reviews', () => {
    assert.equal(averageScore([]), null);
    assert.equal(averageScore([4, 5, 5]), 4.7);
    assert.equal(averageScore([1, 2]), 1.5);
  });
});

describe('CFP permissions', () => {
  const scope = { eventId: 10, communityId: 1 };
  const actor = (grants: RoleGrant[], extra: Partial<Actor> = {}): Actor => ({
    userId: 7,
    displayName: 'X',
    isAdmin: false,
    emailVerified: true,
    grants,
    ...extra,
  });
  const g = (role: RoleGrant['role'], trackIds: number[] = [], scopeType: 'event' | 'community' = 'event', scopeId = 10): RoleGrant => ({
    scope: scopeType,
    scopeId,
    role,
    trackIds,
  });

  test('who may review what', () => {
    const cases: Array<[string, Actor | null, 'all' | number[]]> = [
      ['nobody', null, []],
      ['attendee', actor([]), []],
      ['owner', actor([g('owner')]), 'all'],
      ['community organizer', actor([g('organizer', [], 'community', 1)]), 'all'],
      ['reviewer', actor([g('reviewer')]), 'all'],
      ['reviewer of another event', actor([g('reviewer', [], 'event', 11)]), []],
      ['track manager', actor([g('track_manager', [3, 4])]), [3, 4]],
      ['volunteer', actor([g('volunteer')]), []],
      ['speaker role', actor([g('speaker')]), []],
      ['admin', actor([], { isAdmin: true }), 'all'],
    ];
    for (const [name, a, expected] of cases) assert.deepEqual(reviewableTrackIds(a, scope), expected, name);
    const tm = actor([g('track_manager', [3])]);
    assert.equal(canViewProposals(tm, scope), true);
    assert.equal(canViewProposal(tm, scope, { trackId: 3 }), true);
    assert.equal(canViewProposal(tm, scope, { trackId: 4 }), false);
    assert.equal(canViewProposal(tm, scope, { trackId: null }), false);
    assert.equal(canViewProposals(actor([g('volunteer')]), scope), false);
  });

  test('nobody reviews a proposal they speak in; only organizers decide; submitting needs a confirmed address', () => {
    const reviewer = actor([g('reviewer')]);
    assert.equal(canReviewProposal(reviewer, scope, { trackId: null, speakerUserIds: [8] }), true);
    assert.equal(canReviewProposal(reviewer, scope, { trackId: null, speakerUserIds: [8, 7] }), false);
    assert.equal(canReviewProposal(actor([g('owner')]), scope, { trackId: null, speakerUserIds: [7] }), false);
    assert.equal(canManageCfp(reviewer, scope), false);
    assert.equal(canManageCfp(actor([g('track_manager', [3])]), scope), false);
    assert.equal(canManageCfp(actor([g('organizer')]), scope), true);
    assert.equal(canSubmitProposal(null), false);
    assert.equal(canSubmitProposal(actor([], { emailVerified: false })), false);
    assert.equal(canSubmitProposal(actor([])), true);
  });
});
