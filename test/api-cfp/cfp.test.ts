import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { listMyProposals } from '../../src/modules/cfp/proposal.queries.js';
import { assertError, tokenFor, writeFingerprint, type TokenHolder } from '../api-manage/support.js';
import { M, ME, organizer, publishedMeetup, useRegistrationApi } from '../api-me/support.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const ZONE = 'Europe/Amsterdam';
const local = (dt: DateTime) => dt.setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm");
/** A call open now (the app runs on the real clock): since yesterday, for 20 more days. Computed once. */
const CALL = {
  opensAt: local(DateTime.now().minus({ days: 1 })),
  closesAt: local(DateTime.now().plus({ days: 20 })),
  callText: 'Tell us <b>everything</b>.',
  formats: [
    { kind: 'talk', durationMinutes: 30 },
    { kind: 'workshop', durationMinutes: 90 },
  ],
};
const openCall = () => CALL;
const proposal = (overrides: Record<string, unknown> = {}) => ({
  title: 'Fast HTML',
  kind: 'talk',
  abstract: 'Server-rendered pages win.',
  notes: 'Projector please.',
  ...overrides,
});

for (const database of testDatabases) {
  describe(`CFP API on ${database.name}`, () => {
    const env = useRegistrationApi(database);
    const f = {} as {
      id: number;
      slug: string;
      roomA: number;
      roomB: number;
      track: number;
      reviewer: TokenHolder;
      speaker: TokenHolder;
      other: TokenHolder;
      coSpeaker: TokenHolder;
    };
    const ok = (r: { status: number; text: string; body: any }, status = 200) => {
      assert.equal(r.status, status, r.text);
      return r.body.data;
    };
    const submit = (who: TokenHolder, json: unknown, slug = f.slug) => env.api.post(`${ME}/events/${slug}/proposals`, { token: who.token, json });

    before(async () => {
      const { api, owner } = env;
      const ev = await publishedMeetup(api, owner, 'cfpconf', { dates: ['2027-04-15', '2027-04-16'] });
      Object.assign(f, ev);
      f.roomA = ok(await api.post(`${M}/events/${ev.id}/rooms`, { token: owner.token, json: { name: 'Room A' } }), 201).id;
      f.roomB = ok(await api.post(`${M}/events/${ev.id}/rooms`, { token: owner.token, json: { name: 'Room B' } }), 201).id;
      f.track = ok(await api.post(`${M}/events/${ev.id}/tracks`, { token: owner.token, json: { name: 'Web' } }), 201).id;
      ok(await api.put(`${M}/events/${ev.id}/cfp`, { token: owner.token, json: openCall() }));
      f.reviewer = await tokenFor(env.db, 'Reviewer', { grants: [{ scope: 'event', scopeId: ev.id, role: 'reviewer', trackIds: [] }] });
      f.speaker = await tokenFor(env.db, 'Speaker');
      f.other = await tokenFor(env.db, 'Other Speaker');
      f.coSpeaker = await tokenFor(env.db, 'Co Speaker');
    });

    test('public read of the call: state, UTC dates and zone, text, formats; 404 without a call', async () => {
      const r = await env.api.get(`/api/v1/events/${f.slug}/cfp`);
      const call = ok(r);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(call.state, 'open');
      assert.equal(call.timeZone, ZONE);
      assert.match(call.opensAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(DateTime.fromISO(call.closesAt, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm"), openCall().closesAt.slice(0, 16));
      assert.equal(call.callText, 'Tell us <b>everything</b>.');
      assert.deepEqual(call.formats, openCall().formats);
      assert.equal(call.closedAt, null);

      const bare = await publishedMeetup(env.api, env.owner, 'nocall');
      assertError(await env.api.get(`/api/v1/events/${bare.slug}/cfp`), 404, 'CFP_NOT_FOUND');
      assertError(await env.api.get('/api/v1/events/no-such-event/cfp'), 404, 'CFP_NOT_FOUND');
      assertError(await submit(f.speaker, proposal(), bare.slug), 404, 'CFP_NOT_FOUND');
    });

    test('a speaker submits through the API and finds it in the API list and in listMyProposals; others get 404', async () => {
      const r = await submit(f.speaker, proposal({ trackId: f.track, coSpeakers: [f.coSpeaker.email] }));
      const p = ok(r, 201);
      assert.equal(r.headers.get('location'), `/api/v1/me/proposals/${p.id}`);
      assert.equal(p.state, 'submitted');
      assert.equal(p.durationMinutes, 30);
      assert.deepEqual(p.track, { id: f.track, name: 'Web' });
      assert.deepEqual(p.speakers, [
        { name: 'Speaker', email: f.speaker.email, status: 'accepted' },
        { name: null, email: f.coSpeaker.email, status: 'pending' },
      ]);
      assert.equal(p.event.slug, f.slug);
      assert.equal(p.isSubmitter, true);

      const list = ok(await env.api.get(`${ME}/proposals`, { token: f.speaker.token }));
      assert.deepEqual(
        list.map((x: { id: number }) => x.id),
        [p.id],
      );
      const row = await env.db
        .selectFrom('users')
        .select(['id', 'display_name', 'is_admin', 'email_verified_at'])
        .where('id', '=', f.speaker.userId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (await listMyProposals(env.db, await actorFor(env.db, row))).map((m) => m.proposal.id),
        [p.id],
      );
      // Invited, the co-speaker sees only the invitation; once they accept they read the proposal
      // (and the submitter sees their name), but only the submitter changes it.
      assertError(await env.api.get(`${ME}/proposals/${p.id}`, { token: f.coSpeaker.token }), 404, 'PROPOSAL_NOT_FOUND');
      assert.deepEqual(ok(await env.api.get(`${ME}/cospeaker-invitations`, { token: f.coSpeaker.token })), [
        { proposalId: p.id, title: 'Fast HTML', eventTitle: p.event.title, inviter: 'Speaker', email: f.coSpeaker.email },
      ]);
      assertError(await env.api.post(`${ME}/cospeaker-invitations/${p.id}`, { token: f.coSpeaker.token, json: { answer: 'maybe' } }), 422, 'VALIDATION_FAILED');
      assertError(await env.api.post(`${ME}/cospeaker-invitations/${p.id}`, { token: f.other.token, json: { answer: 'accept' } }), 404, 'PROPOSAL_NOT_FOUND');
      assert.deepEqual(ok(await env.api.post(`${ME}/cospeaker-invitations/${p.id}`, { token: f.coSpeaker.token, json: { answer: 'accept' } })), {
        proposalId: p.id,
        title: 'Fast HTML',
        status: 'accepted',
        blocked: false,
      });
      assert.deepEqual(ok(await env.api.get(`${ME}/cospeaker-invitations`, { token: f.coSpeaker.token })), []);
      assert.equal(ok(await env.api.get(`${ME}/proposals/${p.id}`, { token: f.coSpeaker.token })).isSubmitter, false);
      assert.deepEqual(ok(await env.api.get(`${ME}/proposals/${p.id}`, { token: f.speaker.token })).speakers[1], {
        name: 'Co Speaker',
        email: f.coSpeaker.email,
        status: 'accepted',
      });
      assertError(await env.api.put(`${ME}/proposals/${p.id}`, { token: f.coSpeaker.token, json: proposal() }), 403, 'FORBIDDEN');

      const before = await writeFingerprint(env.db);
      assertError(await env.api.get(`${ME}/proposals/${p.id}`, { token: f.other.token }), 404, 'PROPOSAL_NOT_FOUND');
      assertError(await env.api.put(`${ME}/proposals/${p.id}`, { token: f.other.token, json: proposal({ title: 'Mine now' }) }), 404, 'PROPOSAL_NOT_FOUND');
      assertError(await env.api.post(`${ME}/proposals/${p.id}/withdraw`, { token: f.other.token }), 404, 'PROPOSAL_NOT_FOUND');
      assertError(await env.api.get(`${ME}/proposals/999999`, { token: f.other.token }), 404, 'PROPOSAL_NOT_FOUND');
      assert.deepEqual(ok(await env.api.get(`${ME}/proposals`, { token: f.other.token })), []);
      assert.equal(await writeFingerprint(env.db), before);
      assertError(await env.api.get(`${ME}/proposals`), 401, 'UNAUTHENTICATED');

      const changed = ok(await env.api.put(`${ME}/proposals/${p.id}`, { token: f.speaker.token, json: proposal({ title: 'Faster HTML', kind: 'workshop' }) }));
      assert.deepEqual(
        [changed.title, changed.kind, changed.durationMinutes, changed.track, changed.speakers.length],
        ['Faster HTML', 'workshop', 90, null, 1],
      );
    });

    test('co-speakers: an account and a non-account get the same answer; additions stop at 20 a day with nothing written', async () => {
      const prober = await tokenFor(env.db, 'Prober');
      const p = ok(await submit(prober, proposal({ title: 'Probe' })), 201);
      const put = (coSpeakers: string[]) => env.api.put(`${ME}/proposals/${p.id}`, { token: prober.token, json: proposal({ title: 'Probe', coSpeakers }) });
      const account = ok(await put([f.other.email])).speakers[1];
      const nobody = ok(await put(['nobody.here@example.org'])).speakers[1];
      assert.deepEqual({ ...account, email: 'x' }, { ...nobody, email: 'x' }, 'same fields, same values');
      assert.deepEqual(nobody, { name: null, email: 'nobody.here@example.org', status: 'pending' });
      const more = (n: number) => Array.from({ length: 5 }, (_, i) => `probe.${n}.${i}@example.org`);
      for (const n of [1, 2, 3]) assert.equal(ok(await put(more(n))).speakers.length, 6);
      const outbox = async () =>
        (
          await env.db
            .selectFrom('mail_outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      const before = [
        await writeFingerprint(env.db),
        await env.db.selectFrom('proposal_speakers').selectAll().where('proposal_id', '=', p.id).orderBy('position').execute(),
        await outbox(),
      ];
      // 2 + 15 added so far: five more would pass 20.
      const limited = await put(more(4));
      assertError(limited, 429, 'RATE_LIMITED');
      assert.deepEqual(limited.body.error.problems, [{ path: 'coSpeakers', message: 'adds 5 new co-speakers; you can add 3 more today' }]);
      assert.deepEqual(
        [
          await writeFingerprint(env.db),
          await env.db.selectFrom('proposal_speakers').selectAll().where('proposal_id', '=', p.id).orderBy('position').execute(),
          await outbox(),
        ],
        before,
      );
      // Keeping the co-speakers one has is no addition.
      assert.equal(ok(await put(more(3))).speakers.length, 6);
    });

    test('validation errors are 422 naming each field; nothing is written', async () => {
      const before = await writeFingerprint(env.db);
      const r = await submit(f.speaker, { title: '', kind: 'poster', abstract: 'x', coSpeakers: ['not-an-address'] });
      assertError(r, 422, 'VALIDATION_FAILED');
      const paths = r.body.error.problems.map((p: { path: string }) => p.path).sort();
      assert.ok(paths.includes('title') && paths.includes('kind') && paths.some((p: string) => p.startsWith('coSpeakers')), r.text);
      // A format the call does not offer, a track of no such event.
      const r2 = await submit(f.speaker, proposal({ kind: 'keynote', trackId: 999999 }));
      assertError(r2, 422, 'VALIDATION_FAILED');
      assert.deepEqual(r2.body.error.problems.map((p: { path: string }) => p.path).sort(), ['kind', 'trackId']);
      assertError(
        await env.api.put(`${M}/events/${f.id}/cfp`, { token: env.owner.token, json: { ...openCall(), closesAt: '2020-01-01T00:00' } }),
        422,
        'VALIDATION_FAILED',
      );
      assert.equal(await writeFingerprint(env.db), before);
    });

    test('a closed call refuses submissions and changes (CFP_CLOSED); withdrawing still works; reopening lifts it', async () => {
      const p = ok(await submit(f.other, proposal({ title: 'Before closing' })), 201);
      const closed = ok(await env.api.post(`${M}/events/${f.id}/cfp/close`, { token: env.owner.token }));
      assert.equal(closed.state, 'closed_early');
      assert.equal(ok(await env.api.get(`/api/v1/events/${f.slug}/cfp`)).state, 'closed_early');
      const before = await writeFingerprint(env.db);
      assertError(await submit(f.other, proposal()), 409, 'CFP_CLOSED');
      assertError(await env.api.put(`${ME}/proposals/${p.id}`, { token: f.other.token, json: proposal({ title: 'Late change' }) }), 409, 'CFP_CLOSED');
      assert.equal(await writeFingerprint(env.db), before);
      assert.equal(ok(await env.api.post(`${ME}/proposals/${p.id}/withdraw`, { token: f.other.token })).state, 'withdrawn');
      assertError(await env.api.post(`${ME}/proposals/${p.id}/withdraw`, { token: f.other.token }), 409, 'PROPOSAL_TRANSITION_INVALID');
      assert.equal(ok(await env.api.post(`${M}/events/${f.id}/cfp/reopen`, { token: env.owner.token })).state, 'open');
      assert.equal(ok(await env.api.get(`${M}/events/${f.id}/cfp`, { token: env.owner.token })).closedAt, null);
      assert.equal((await submit(f.other, proposal({ title: 'After reopening' }))).status, 201);
    });

    test('reviewers review (not their own proposals) and see names only; organizers see addresses; a reviewer cannot decide or set up the call', async () => {
      const p = ok(await submit(f.speaker, proposal({ title: 'Review me' })), 201);
      const own = ok(await submit(f.reviewer, proposal({ title: 'By the reviewer' })), 201);
      const review = ok(await env.api.put(`${M}/events/${f.id}/proposals/${p.id}/review`, { token: f.reviewer.token, json: { score: 4, comment: 'Solid.' } }));
      assert.deepEqual([review.score, review.comment, review.reviewerName], [4, 'Solid.', 'Reviewer']);
      // Again: replaces.
      ok(await env.api.put(`${M}/events/${f.id}/proposals/${p.id}/review`, { token: f.reviewer.token, json: { score: 5 } }));
      const bad = await env.api.put(`${M}/events/${f.id}/proposals/${p.id}/review`, { token: f.reviewer.token, json: { score: 7 } });
      assertError(bad, 422, 'VALIDATION_FAILED');
      assert.deepEqual(
        bad.body.error.problems.map((x: { path: string }) => x.path),
        ['score'],
      );

      const before = await writeFingerprint(env.db);
      assertError(
        await env.api.put(`${M}/events/${f.id}/proposals/${own.id}/review`, { token: f.reviewer.token, json: { score: 5 } }),
        403,
        'REVIEW_OWN_PROPOSAL',
      );
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/decide`, { token: f.reviewer.token, json: { decision: 'accept' } }),
        403,
        'FORBIDDEN',
      );
      assertError(await env.api.put(`${M}/events/${f.id}/cfp`, { token: f.reviewer.token, json: openCall() }), 403, 'FORBIDDEN');
      assertError(await env.api.post(`${M}/events/${f.id}/cfp/close`, { token: f.reviewer.token }), 403, 'FORBIDDEN');
      assertError(await env.api.get(`${M}/events/${f.id}/proposals`, { token: f.speaker.token }), 403, 'FORBIDDEN');
      assert.equal(await writeFingerprint(env.db), before);

      const seen = ok(await env.api.get(`${M}/events/${f.id}/proposals/${p.id}`, { token: f.reviewer.token }));
      assert.deepEqual([seen.isSpeaker, seen.canReview, seen.reviews.length, seen.myReview.score, seen.averageScore], [false, true, 1, 5, 5]);
      assert.deepEqual(seen.proposal.speakers, [{ name: 'Speaker', email: null, status: 'accepted' }]);
      // An organizer reviews too; the reviewer of their own proposal sees no reviews of it.
      ok(await env.api.put(`${M}/events/${f.id}/proposals/${own.id}/review`, { token: env.owner.token, json: { score: 2, comment: 'Hmm.' } }));
      const mine = ok(await env.api.get(`${M}/events/${f.id}/proposals/${own.id}`, { token: f.reviewer.token }));
      assert.deepEqual([mine.isSpeaker, mine.canReview, mine.reviews, mine.myReview, mine.averageScore], [true, false, [], null, null]);

      const asReviewer = ok(await env.api.get(`${M}/events/${f.id}/proposals?state=submitted&sort=score`, { token: f.reviewer.token }));
      assert.equal(asReviewer[0].id, p.id, 'best average first');
      assert.ok(
        asReviewer.every((x: { state: string; speakers: { email: string | null }[] }) => x.state === 'submitted' && x.speakers.every((s) => s.email === null)),
      );
      const asOrganizer = ok(await env.api.get(`${M}/events/${f.id}/proposals?state=submitted`, { token: env.owner.token }));
      assert.equal(asOrganizer.find((x: { id: number }) => x.id === p.id).speakers[0].email, f.speaker.email);
      assertError(await env.api.get(`${M}/events/${f.id}/proposals?state=lost`, { token: env.owner.token }), 422, 'VALIDATION_FAILED');
    });

    test('organizers decide and schedule; a room conflict is the programme’s error and writes nothing; decided proposals are not editable', async () => {
      const p = ok(await submit(f.speaker, proposal({ title: 'Schedule me' })), 201);
      const accepted = ok(await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/decide`, { token: env.owner.token, json: { decision: 'accept' } }));
      assert.equal(accepted.state, 'accepted');
      assert.match(accepted.decidedAt, /Z$/);
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/decide`, { token: env.owner.token, json: { decision: 'maybe' } }),
        422,
        'VALIDATION_FAILED',
      );
      assertError(
        await env.api.put(`${ME}/proposals/${p.id}`, { token: f.speaker.token, json: proposal({ title: 'Too late' }) }),
        409,
        'PROPOSAL_NOT_EDITABLE',
      );
      assertError(await env.api.post(`${ME}/proposals/${p.id}/withdraw`, { token: f.speaker.token }), 409, 'PROPOSAL_TRANSITION_INVALID');

      ok(
        await env.api.post(`${M}/events/${f.id}/sessions`, {
          token: env.owner.token,
          json: { kind: 'talk', title: 'Already there', roomId: f.roomA, start: '2027-04-15T10:00', durationMinutes: 60 },
        }),
        201,
      );
      const footprint = async () => [
        await writeFingerprint(env.db),
        await env.db.selectFrom('proposals').selectAll().where('event_id', '=', f.id).orderBy('id').execute(),
        (
          await env.db
            .selectFrom('mail_outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ];
      const before = await footprint();
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/schedule`, { token: env.owner.token, json: { roomId: f.roomA, start: '2027-04-15T10:15' } }),
        409,
        'SESSION_ROOM_CONFLICT',
      );
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/schedule`, { token: f.reviewer.token, json: { roomId: f.roomB, start: '2027-04-15T10:15' } }),
        403,
        'FORBIDDEN',
      );
      assert.deepEqual(await footprint(), before);
      assert.equal(ok(await env.api.get(`${ME}/proposals/${p.id}`, { token: f.speaker.token })).sessionId, null);

      const r = await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/schedule`, {
        token: env.owner.token,
        json: { roomId: f.roomB, start: '2027-04-15T10:15' },
      });
      const done = ok(r, 201);
      assert.deepEqual(
        [done.session.title, done.session.roomId, done.session.start, done.session.durationMinutes],
        ['Schedule me', f.roomB, '2027-04-15T10:15', 30],
      );
      assert.equal(done.proposal.sessionId, done.session.id);
      assert.equal(r.headers.get('location'), `/api/v1/manage/events/${f.id}/sessions/${done.session.id}`);
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/decide`, { token: env.owner.token, json: { decision: 'undo' } }),
        409,
        'PROPOSAL_SCHEDULED',
      );
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${p.id}/schedule`, { token: env.owner.token, json: { roomId: f.roomA, start: '2027-04-16T10:00' } }),
        409,
        'PROPOSAL_SCHEDULED',
      );

      const q = ok(await submit(f.speaker, proposal({ title: 'Reject me' })), 201);
      assert.equal(
        ok(await env.api.post(`${M}/events/${f.id}/proposals/${q.id}/decide`, { token: env.owner.token, json: { decision: 'reject' } })).state,
        'rejected',
      );
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${q.id}/schedule`, { token: env.owner.token, json: { roomId: f.roomA, start: '2027-04-16T10:00' } }),
        409,
        'PROPOSAL_NOT_ACCEPTED',
      );
      assert.equal(
        ok(await env.api.post(`${M}/events/${f.id}/proposals/${q.id}/decide`, { token: env.owner.token, json: { decision: 'undo' } })).state,
        'submitted',
      );
      // An organizer of another event is no organizer here.
      const stranger = await organizer(env.db);
      assertError(
        await env.api.post(`${M}/events/${f.id}/proposals/${q.id}/decide`, { token: stranger.token, json: { decision: 'accept' } }),
        403,
        'FORBIDDEN',
      );
    });

    test('the OpenAPI document lists the CFP routes with their tags and security', async () => {
      const doc = (await env.api.openApi()) as any;
      assert.deepEqual(doc.paths['/api/v1/events/{slug}/cfp'].get.tags, ['events']);
      assert.equal(doc.paths['/api/v1/events/{slug}/cfp'].get.security, undefined);
      for (const [path, method] of [
        ['/api/v1/me/proposals', 'get'],
        ['/api/v1/me/proposals/{proposalId}', 'get'],
        ['/api/v1/me/proposals/{proposalId}', 'put'],
        ['/api/v1/me/proposals/{proposalId}/withdraw', 'post'],
        ['/api/v1/me/events/{slug}/proposals', 'post'],
        ['/api/v1/me/cospeaker-invitations', 'get'],
        ['/api/v1/me/cospeaker-invitations/{proposalId}', 'post'],
      ] as const)
        assert.deepEqual([doc.paths[path]?.[method]?.tags, doc.paths[path]?.[method]?.security], [['Attendee'], [{ bearerAuth: [] }]], `${method} ${path}`);
      assert.ok(doc.paths['/api/v1/manage/events/{eventId}/proposals/{proposalId}/schedule'].post.responses['409']);
      assert.ok(env.api.checked > 0);
    });
  });
}
