import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { saveCfpSettings, setCfpClosedEarly } from '../../src/modules/cfp/cfp-settings.actions.js';
import { decideProposal, scheduleProposal } from '../../src/modules/cfp/decision.actions.js';
import { submitProposal, updateProposal, withdrawProposal } from '../../src/modules/cfp/proposal.actions.js';
import { answerMyInvitation } from '../../src/modules/cfp/cospeaker.actions.js';
import { getMyInvitation, listMyInvitations } from '../../src/modules/cfp/cospeaker.queries.js';
import { getProposalForReview, getMyProposal, listMyProposals, listProposalsForReview } from '../../src/modules/cfp/proposal.queries.js';
import { saveReview } from '../../src/modules/cfp/review.actions.js';
import { getCfpSettings } from '../../src/modules/cfp/cfp.queries.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { exportPersonalData } from '../../src/modules/privacy/personal-data.actions.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { actorOf, newActor, rejectsWith } from '../program/support.js';
import { cfpFootprint, clock, conferenceWithCfp, emailOf, mailsTo, proposalInput, useCfpDb } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`call for proposals on ${database.name}`, () => {
    const env = useCfpDb(database);

    test('organizers set the call in the event zone; bad dates and no formats are refused per field', async () => {
      const { organizer, event } = await conferenceWithCfp(env, 'cfp-settings');
      const cfp = (await getCfpSettings(env.db, event.id))!;
      // Amsterdam is UTC+1 in winter.
      assert.deepEqual([cfp.opensAt, cfp.closesAt, cfp.closedAt], ['2027-02-01T08:00:00Z', '2027-03-15T22:59:00Z', null]);
      assert.deepEqual(cfp.formats, [
        { kind: 'talk', durationMinutes: 30 },
        { kind: 'workshop', durationMinutes: 90 },
      ]);
      const bad = await rejectsWith(
        saveCfpSettings(env.db, env.ctx, organizer, event.id, { opensAt: '2027-03-01T10:00', closesAt: '2027-03-01T09:00', formats: [] }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        bad.problems.map((p) => p.path),
        ['formats'],
      );
      const order = await rejectsWith(
        saveCfpSettings(env.db, env.ctx, organizer, event.id, {
          opensAt: '2027-03-01T10:00',
          closesAt: '2027-03-01T09:00',
          formats: [{ kind: 'talk', durationMinutes: 20 }],
        }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(order.problems, [{ path: 'closesAt', message: 'must be after the opening' }]);
      // 02:30 on the last Sunday of March does not exist in Amsterdam.
      const dst = await rejectsWith(
        saveCfpSettings(env.db, env.ctx, organizer, event.id, {
          opensAt: '2027-03-28T02:30',
          closesAt: '2027-04-01T09:00',
          formats: [{ kind: 'talk', durationMinutes: 20 }],
        }),
        'VALIDATION_FAILED',
      );
      assert.equal(dst.problems[0]!.path, 'opensAt');
      const reviewer = await newActor(env.db, 'Reviewer settings', [{ scope: 'event', scopeId: event.id, role: 'reviewer', trackIds: [] }]);
      await rejectsWith(
        saveCfpSettings(env.db, env.ctx, reviewer, event.id, {
          opensAt: '2027-03-01T10:00',
          closesAt: '2027-03-02T09:00',
          formats: [{ kind: 'talk', durationMinutes: 20 }],
        }),
        'FORBIDDEN',
      );
      assert.deepEqual(await getCfpSettings(env.db, event.id), cfp, 'refusals changed nothing');
    });

    test('submitting: a confirmed address, an open call, an offered format; the speakers are mailed', async () => {
      const { event, tracks } = await conferenceWithCfp(env, 'cfp-submit');
      const ada = await newActor(env.db, 'Ada');
      const grace = await newActor(env.db, 'Grace');
      const graceEmail = await emailOf(env.db, grace);
      const unverified = { ...(await newActor(env.db, 'Unverified')), emailVerified: false };
      await rejectsWith(submitProposal(env.db, env.ctx, unverified, event.id, proposalInput()), 'EMAIL_NOT_VERIFIED');
      const p = await submitProposal(
        env.db,
        env.ctx,
        ada,
        event.id,
        proposalInput({ trackId: String(tracks[0].id), coSpeakers: `${graceEmail.toUpperCase()}, someone@example.net` }),
      );
      assert.equal(p.state, 'submitted');
      assert.match(p.code, /^[A-Z2-9]{6}$/);
      assert.equal(p.durationMinutes, 30, 'the format decides the duration');
      assert.equal(p.trackName, 'Web');
      // Grace has an account, someone@ has none: nothing tells them apart until Grace accepts.
      assert.deepEqual(
        p.speakers.map((s) => [s.email, s.status, s.userId, s.name]),
        [
          [await emailOf(env.db, ada), 'accepted', ada.userId, 'Ada'],
          [graceEmail, 'pending', null, null],
          ['someone@example.net', 'pending', null, null],
        ],
      );
      const receipt = await mailsTo(env.db, await emailOf(env.db, ada));
      assert.deepEqual(
        receipt.map((m) => m.subject),
        ['Proposal received: Making HTML fast'],
      );
      assert.match(receipt[0]!.text_body, new RegExp(`https://hallway.test/account/proposals/${p.id}`));
      for (const to of [graceEmail, 'someone@example.net']) {
        const mails = await mailsTo(env.db, to);
        assert.deepEqual(
          mails.map((m) => [m.subject, m.category]),
          [['Ada invites you to co-speak: Making HTML fast', 'cospeaker_invitation']],
          to,
        );
        assert.match(mails[0]!.text_body, /https:\/\/hallway\.test\/cospeaker-invitation\?token=[\w-]{43}\n/);
        assert.ok(!mails[0]!.text_body.includes('Grace'), 'the invitation does not greet by account name');
      }
      const before = await cfpFootprint(env.db, event.id);
      const bad = await rejectsWith(
        submitProposal(env.db, env.ctx, ada, event.id, { title: ' ', kind: 'lightning', abstract: '', trackId: '999', coSpeakers: 'not-an-address' }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(bad.problems.map((x) => x.path).sort(), ['abstract', 'coSpeakers[0]', 'title']);
      const rules = await rejectsWith(
        submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ kind: 'lightning', trackId: 999, coSpeakers: [await emailOf(env.db, ada)] })),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        rules.problems.map((x) => x.path),
        ['kind', 'trackId', 'coSpeakers'],
      );
      assert.deepEqual(await cfpFootprint(env.db, event.id), before, 'nothing written');
    });

    test('the window: not yet open, closed, closed early and reopened', async () => {
      const { organizer, event } = await conferenceWithCfp(env, 'cfp-window');
      const ada = await newActor(env.db, 'Ada window');
      const saved = clock.now();
      try {
        clock.set(new Date('2027-02-01T07:59:59Z'));
        assert.match((await rejectsWith(submitProposal(env.db, env.ctx, ada, event.id, proposalInput()), 'CFP_CLOSED')).message, /opens at/);
        clock.set(new Date('2027-03-15T22:59:00Z'));
        await rejectsWith(submitProposal(env.db, env.ctx, ada, event.id, proposalInput()), 'CFP_CLOSED');
      } finally {
        clock.set(saved);
      }
      await setCfpClosedEarly(env.db, env.ctx, organizer, event.id, true);
      assert.match((await rejectsWith(submitProposal(env.db, env.ctx, ada, event.id, proposalInput()), 'CFP_CLOSED')).message, /closed the call/);
      await setCfpClosedEarly(env.db, env.ctx, organizer, event.id, false);
      assert.equal((await submitProposal(env.db, env.ctx, ada, event.id, proposalInput())).state, 'submitted');
      const withdrawnLater = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ title: 'Before the cancellation' }));
      await env.db.updateTable('events').set({ cancelled_at: '2027-03-01T00:00:00Z' }).where('id', '=', event.id).execute();
      assert.match((await rejectsWith(submitProposal(env.db, env.ctx, ada, event.id, proposalInput()), 'CFP_CLOSED')).message, /cancelled/);
      await rejectsWith(updateProposal(env.db, env.ctx, ada, withdrawnLater.id, proposalInput()), 'CFP_CLOSED');
      assert.equal((await withdrawProposal(env.db, env.ctx, ada, withdrawnLater.id)).state, 'withdrawn', 'withdrawing still works');
      const other = await conferenceWithCfp(env, 'cfp-window-none');
      await env.db.deleteFrom('cfp_settings').where('event_id', '=', other.event.id).execute();
      await rejectsWith(submitProposal(env.db, env.ctx, ada, other.event.id, proposalInput()), 'CFP_NOT_FOUND');
      await rejectsWith(setCfpClosedEarly(env.db, env.ctx, other.organizer, other.event.id, true), 'CFP_NOT_FOUND');
    });

    test('speakers edit while open and undecided, withdraw once; co-speakers read; strangers get not found', async () => {
      const { organizer, event } = await conferenceWithCfp(env, 'cfp-edit');
      const ada = await newActor(env.db, 'Ada edit');
      const grace = await newActor(env.db, 'Grace edit');
      const stranger = await newActor(env.db, 'Stranger');
      const p = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ coSpeakers: await emailOf(env.db, grace) }));
      const edited = await updateProposal(env.db, env.ctx, ada, p.id, proposalInput({ title: 'Making HTML faster', kind: 'workshop', coSpeakers: '' }));
      assert.deepEqual(
        [edited.title, edited.kind, edited.durationMinutes, edited.speakers.length, edited.code],
        ['Making HTML faster', 'workshop', 90, 1, p.code],
      );
      await updateProposal(env.db, env.ctx, ada, p.id, proposalInput({ coSpeakers: await emailOf(env.db, grace) }));
      assert.deepEqual(await listMyProposals(env.db, grace), [], 'invited, not yet a speaker');
      await rejectsWith(getMyProposal(env.db, grace, p.id), 'PROPOSAL_NOT_FOUND');
      await answerMyInvitation(env.db, env.ctx, grace, p.id, { answer: 'accept' });
      assert.deepEqual(
        (await listMyProposals(env.db, grace)).map((m) => [m.proposal.id, m.isSubmitter]),
        [[p.id, false]],
      );
      const resaved = await updateProposal(env.db, env.ctx, ada, p.id, proposalInput({ coSpeakers: `${await emailOf(env.db, grace)}\nnew@example.net` }));
      assert.deepEqual(
        resaved.speakers.map((s) => [s.status, s.name]),
        [
          ['accepted', 'Ada edit'],
          ['accepted', 'Grace edit'],
          ['pending', null],
        ],
        'a kept co-speaker keeps their answer',
      );
      await rejectsWith(updateProposal(env.db, env.ctx, grace, p.id, proposalInput()), 'FORBIDDEN');
      await rejectsWith(withdrawProposal(env.db, env.ctx, grace, p.id), 'FORBIDDEN');
      await rejectsWith(getMyProposal(env.db, stranger, p.id), 'PROPOSAL_NOT_FOUND');
      await rejectsWith(updateProposal(env.db, env.ctx, stranger, p.id, proposalInput()), 'PROPOSAL_NOT_FOUND');
      await rejectsWith(withdrawProposal(env.db, env.ctx, stranger, p.id), 'PROPOSAL_NOT_FOUND');
      await rejectsWith(getMyProposal(env.db, stranger, 999_999), 'PROPOSAL_NOT_FOUND');
      const saved = clock.now();
      try {
        clock.set(new Date('2027-03-20T00:00:00Z'));
        await rejectsWith(updateProposal(env.db, env.ctx, ada, p.id, proposalInput()), 'CFP_CLOSED');
      } finally {
        clock.set(saved);
      }
      const decided = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ title: 'Second' }));
      await decideProposal(env.db, env.ctx, organizer, event.id, decided.id, { decision: 'reject' });
      await rejectsWith(updateProposal(env.db, env.ctx, ada, decided.id, proposalInput()), 'PROPOSAL_NOT_EDITABLE');
      await rejectsWith(withdrawProposal(env.db, env.ctx, ada, decided.id), 'PROPOSAL_TRANSITION_INVALID');
      assert.equal((await withdrawProposal(env.db, env.ctx, ada, p.id)).state, 'withdrawn');
      await rejectsWith(withdrawProposal(env.db, env.ctx, ada, p.id), 'PROPOSAL_TRANSITION_INVALID');
      await rejectsWith(updateProposal(env.db, env.ctx, ada, p.id, proposalInput()), 'PROPOSAL_NOT_EDITABLE');
    });

    test('a co-speaker invited by address sees the invitation once an account confirms that address, and the proposal once they accept', async () => {
      const { event } = await conferenceWithCfp(env, 'cfp-later');
      const ada = await newActor(env.db, 'Ada later');
      const p = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ coSpeakers: 'Later@Example.org' }));
      assert.deepEqual(p.speakers.map((s) => [s.email, s.userId]).slice(1), [['later@example.org', null]]);
      const now = '2027-03-01T00:00:00Z';
      const user = await env.db
        .insertInto('users')
        .values({
          email: 'later@example.org',
          email_verified_at: null,
          password_hash: null,
          display_name: 'Later',
          is_admin: 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const later = await actorOf(env.db, user.id);
      assert.deepEqual(await listMyProposals(env.db, later), [], 'an unconfirmed address opens nothing');
      await rejectsWith(getMyProposal(env.db, later, p.id), 'PROPOSAL_NOT_FOUND');
      await rejectsWith(answerMyInvitation(env.db, env.ctx, later, p.id, { answer: 'accept' }), 'PROPOSAL_NOT_FOUND');
      await env.db.updateTable('users').set({ email_verified_at: now }).where('id', '=', user.id).execute();
      const confirmed = await actorOf(env.db, user.id);
      assert.deepEqual(await listMyProposals(env.db, confirmed), []);
      assert.deepEqual(await listMyInvitations(env.db, confirmed), [
        { proposalId: p.id, title: 'Making HTML fast', eventTitle: event.title, inviter: 'Ada later', email: 'later@example.org' },
      ]);
      assert.equal((await getMyInvitation(env.db, confirmed, p.id)).inviter, 'Ada later');
      await answerMyInvitation(env.db, env.ctx, confirmed, p.id, { answer: 'accept' });
      assert.deepEqual(
        (await listMyProposals(env.db, confirmed)).map((m) => [m.proposal.id, m.isSubmitter]),
        [[p.id, false]],
      );
      const seen = await getMyProposal(env.db, confirmed, p.id);
      assert.deepEqual(
        seen.proposal.speakers.map((s) => [s.name, s.status]),
        [
          ['Ada later', 'accepted'],
          ['Later', 'accepted'],
        ],
      );
      await rejectsWith(answerMyInvitation(env.db, env.ctx, confirmed, p.id, { answer: 'decline' }), 'PROPOSAL_NOT_FOUND');
    });

    test("reviews: one per reviewer, editable; never one's own; track managers see their tracks", async () => {
      const { organizer, event, tracks } = await conferenceWithCfp(env, 'cfp-review');
      const grant = (role: 'reviewer' | 'track_manager', trackIds: number[] = []) => [{ scope: 'event' as const, scopeId: event.id, role, trackIds }];
      const rita = await newActor(env.db, 'Rita', grant('reviewer'));
      const rob = await newActor(env.db, 'Rob', grant('reviewer'));
      const tm = await newActor(env.db, 'Tina', grant('track_manager', [tracks[1].id]));
      const attendee = await newActor(env.db, 'Attendee');
      const ada = await newActor(env.db, 'Ada review');
      const web = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ title: 'Web one', trackId: tracks[0].id }));
      const data = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ title: 'Data one', trackId: tracks[1].id }));
      const ritas = await submitProposal(env.db, env.ctx, rita, event.id, proposalInput({ title: 'Rita speaks' }));
      await saveReview(env.db, env.ctx, rita, event.id, web.id, { score: '2', comment: 'meh' });
      await saveReview(env.db, env.ctx, rita, event.id, web.id, { score: '5', comment: 'On second thought: great' });
      await saveReview(env.db, env.ctx, rob, event.id, web.id, { score: 4 });
      await saveReview(env.db, env.ctx, organizer, event.id, data.id, { score: 3 });
      await saveReview(env.db, env.ctx, tm, event.id, data.id, { score: 1, comment: 'off-topic' });
      const seen = await getProposalForReview(env.db, rob, event.id, web.id);
      assert.deepEqual(
        seen.reviews.map((r) => [r.reviewerName, r.score, r.comment]),
        [
          ['Rita', 5, 'On second thought: great'],
          ['Rob', 4, ''],
        ],
      );
      assert.deepEqual([seen.averageScore, seen.myReview?.score, seen.canReview], [4.5, 4, true]);
      await rejectsWith(saveReview(env.db, env.ctx, rita, event.id, ritas.id, { score: 5 }), 'REVIEW_OWN_PROPOSAL');
      const own = await getProposalForReview(env.db, rita, event.id, ritas.id);
      assert.deepEqual([own.isSpeaker, own.canReview, own.reviews.length], [true, false, 0]);
      await rejectsWith(saveReview(env.db, env.ctx, rob, event.id, web.id, { score: 6 }), 'VALIDATION_FAILED');
      await rejectsWith(saveReview(env.db, env.ctx, attendee, event.id, web.id, { score: 3 }), 'FORBIDDEN');
      await rejectsWith(saveReview(env.db, env.ctx, tm, event.id, web.id, { score: 3 }), 'PROPOSAL_NOT_FOUND');
      await rejectsWith(listProposalsForReview(env.db, attendee, event.id), 'FORBIDDEN');
      assert.deepEqual(
        (await listProposalsForReview(env.db, tm, event.id)).map((i) => i.proposal.title),
        ['Data one'],
      );
      const byScore = await listProposalsForReview(env.db, rob, event.id, { sort: 'score' });
      assert.deepEqual(
        byScore.map((i) => [i.proposal.title, i.reviewCount, i.averageScore, i.myScore]),
        [
          ['Web one', 2, 4.5, 4],
          ['Data one', 2, 2, null],
          ['Rita speaks', 0, null, null],
        ],
      );
      assert.equal(
        (
          await env.db
            .selectFrom('proposal_reviews')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('proposal_id', '=', web.id)
            .executeTakeFirstOrThrow()
        ).n,
        2,
      );
      await withdrawProposal(env.db, env.ctx, ada, data.id);
      assert.deepEqual(
        (await listProposalsForReview(env.db, rob, event.id, { state: 'withdrawn' })).map((i) => i.proposal.title),
        ['Data one'],
      );
      await rejectsWith(listProposalsForReview(env.db, rob, event.id, { state: 'lost' }), 'VALIDATION_FAILED');
      // A person's data download holds their proposals and the reviews they wrote.
      const robData = await exportPersonalData(env.db, rob);
      assert.deepEqual(
        robData.reviews.map((r) => [r.proposal, r.score]),
        [[web.code, 4]],
      );
      const adaData = await exportPersonalData(env.db, ada);
      assert.deepEqual(adaData.proposals.map((p) => [p.title, p.state]).sort(), [
        ['Data one', 'withdrawn'],
        ['Web one', 'submitted'],
      ]);
    });

    test('decisions mail every speaker once; undo mails nobody; only organizers decide', async () => {
      const { organizer, event } = await conferenceWithCfp(env, 'cfp-decide');
      const reviewer = await newActor(env.db, 'Rev decide', [{ scope: 'event', scopeId: event.id, role: 'reviewer', trackIds: [] }]);
      const ada = await newActor(env.db, 'Ada decide');
      const p = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ coSpeakers: 'co@example.net' }));
      await rejectsWith(decideProposal(env.db, env.ctx, reviewer, event.id, p.id, { decision: 'accept' }), 'FORBIDDEN');
      await rejectsWith(decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'maybe' }), 'VALIDATION_FAILED');
      const accepted = await decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'accept' });
      assert.equal(accepted.state, 'accepted');
      assert.ok(accepted.decidedAt);
      await rejectsWith(decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'reject' }), 'PROPOSAL_TRANSITION_INVALID');
      assert.equal((await decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'undo' })).state, 'submitted');
      await decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'reject' });
      assert.deepEqual(
        (await mailsTo(env.db, await emailOf(env.db, ada))).map((m) => m.subject),
        ['Proposal received: Making HTML fast', 'Accepted: Making HTML fast', 'About your proposal: Making HTML fast'],
      );
      const [, acceptedMail] = await mailsTo(env.db, await emailOf(env.db, ada));
      assert.match(acceptedMail!.text_body, /Congratulations[\s\S]*Next steps/);
      assert.deepEqual(
        (await mailsTo(env.db, 'co@example.net')).map((m) => m.subject),
        ['Ada decide invites you to co-speak: Making HTML fast'],
        'a co-speaker who never accepted hears of no decision',
      );
      await rejectsWith(decideProposal(env.db, env.ctx, organizer, event.id, 999_999, { decision: 'accept' }), 'PROPOSAL_NOT_FOUND');
      const other = await conferenceWithCfp(env, 'cfp-decide-other');
      await rejectsWith(decideProposal(env.db, env.ctx, other.organizer, other.event.id, p.id, { decision: 'undo' }), 'PROPOSAL_NOT_FOUND');
    });

    test('an accepted proposal goes on the programme with its speakers; a busy room writes nothing', async () => {
      const { organizer, event, rooms, tracks } = await conferenceWithCfp(env, 'cfp-schedule');
      const ada = await newActor(env.db, 'Ada Lovelace');
      const grace = await newActor(env.db, 'Grace Hopper');
      // Grace already has a speaker profile linked to her account: it is reused.
      const graceProfile = await createSpeaker(moduleContext(env.db), organizer, event.id, { name: 'Rear Admiral Hopper' });
      await env.db.updateTable('speakers').set({ user_id: grace.userId }).where('id', '=', graceProfile.id).execute();
      const p = await submitProposal(
        env.db,
        env.ctx,
        ada,
        event.id,
        proposalInput({ trackId: tracks[1].id, level: 'advanced', coSpeakers: `${await emailOf(env.db, grace)}, nobody@example.net` }),
      );
      await answerMyInvitation(env.db, env.ctx, grace, p.id, { answer: 'accept' });
      await rejectsWith(
        scheduleProposal(env.db, env.ctx, organizer, event.id, p.id, { roomId: rooms[0].id, start: '2027-04-15T10:00' }),
        'PROPOSAL_NOT_ACCEPTED',
      );
      await decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'accept' });
      const { proposal, session } = await scheduleProposal(env.db, env.ctx, organizer, event.id, p.id, {
        roomId: String(rooms[0].id),
        start: '2027-04-15T10:00',
      });
      assert.equal(proposal.sessionId, session.id);
      assert.deepEqual(
        [
          session.title,
          session.kind,
          session.durationMinutes,
          session.roomId,
          session.trackId,
          session.level,
          session.startsAt,
          session.endsAt,
          session.status,
        ],
        ['Making HTML fast', 'talk', 30, rooms[0].id, tracks[1].id, 'advanced', '2027-04-15T08:00:00Z', '2027-04-15T08:30:00Z', 'confirmed'],
      );
      const speakers = await env.db.selectFrom('speakers').select(['id', 'name', 'user_id']).where('id', 'in', session.speakerIds).execute();
      const byId = new Map(speakers.map((s) => [s.id, s]));
      assert.deepEqual(
        session.speakerIds.map((id) => [byId.get(id)!.name, byId.get(id)!.user_id]),
        [
          ['Ada Lovelace', ada.userId],
          ['Rear Admiral Hopper', grace.userId],
        ],
      );
      await rejectsWith(scheduleProposal(env.db, env.ctx, organizer, event.id, p.id, { roomId: rooms[1].id, start: '2027-04-15T12:00' }), 'PROPOSAL_SCHEDULED');
      await rejectsWith(decideProposal(env.db, env.ctx, organizer, event.id, p.id, { decision: 'undo' }), 'PROPOSAL_SCHEDULED');

      // Room A is busy from 10:00 to 10:30; a second accepted proposal placed at 10:15 is refused whole.
      const bea = await newActor(env.db, 'Bea Busy');
      const q = await submitProposal(env.db, env.ctx, bea, event.id, proposalInput({ title: 'Clashing talk' }));
      await decideProposal(env.db, env.ctx, organizer, event.id, q.id, { decision: 'accept' });
      const before = await cfpFootprint(env.db, event.id);
      const clash = await rejectsWith(
        scheduleProposal(env.db, env.ctx, organizer, event.id, q.id, { roomId: rooms[0].id, start: '2027-04-15T10:15' }),
        'SESSION_ROOM_CONFLICT',
      );
      assert.match(clash.message, /Room A/);
      await rejectsWith(
        scheduleProposal(env.db, env.ctx, organizer, event.id, q.id, { roomId: rooms[0].id, start: '2027-05-01T10:00' }),
        'SESSION_OUTSIDE_DATES',
      );
      await rejectsWith(scheduleProposal(env.db, env.ctx, organizer, event.id, q.id, { roomId: '', start: '' }), 'VALIDATION_FAILED');
      const after = await cfpFootprint(env.db, event.id);
      assert.deepEqual(after, before, 'no speaker profile, session or link written');
      const reviewer = await actorOf(
        env.db,
        (await newActor(env.db, 'Rev sched', [{ scope: 'event', scopeId: event.id, role: 'reviewer', trackIds: [] }])).userId,
      );
      await rejectsWith(scheduleProposal(env.db, env.ctx, reviewer, event.id, q.id, { roomId: rooms[1].id, start: '2027-04-15T10:15' }), 'FORBIDDEN');
      const ok = await scheduleProposal(env.db, env.ctx, organizer, event.id, q.id, { roomId: rooms[1].id, start: '2027-04-15T10:15' });
      assert.equal(ok.session.roomId, rooms[1].id);
      // A session created by hand still follows the same rules (createSession is untouched in behaviour).
      await rejectsWith(
        createSession(moduleContext(env.db), organizer, event.id, {
          kind: 'talk',
          title: 'Hand-made',
          start: '2027-04-15T10:20',
          durationMinutes: 10,
          roomId: rooms[1].id,
        }),
        'SESSION_ROOM_CONFLICT',
      );
    });
  });
}
