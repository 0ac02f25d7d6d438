import assert from 'node:assert/strict';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { describe, test } from 'node:test';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { scheduleProposal } from '../../src/modules/cfp/decision.actions.js';
import { orderForVoter, summarizeInterest } from '../../src/modules/interest/interest.js';
import { saveInterestPicks, saveInterestPoll } from '../../src/modules/interest/interest.actions.js';
import { findInterestPoll, getInterestResults, loadInterestVotes, loadMyInterest } from '../../src/modules/interest/interest.queries.js';
import { deletePersonalData, exportPersonalData } from '../../src/modules/privacy/personal-data.actions.js';
import { newActor, rejectsWith } from '../program/support.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { moduleContext } from '../support/module-context.js';
import { clock, pollConference, useCfpDb } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

test('the order is stable for one voter, differs between voters, and keeps one voter order when talks are added', () => {
  const talks = Array.from({ length: 30 }, (_, i) => ({ key: `s${i + 1}` }));
  const a = orderForVoter(talks, 'user:1').map((t) => t.key);
  assert.deepEqual(
    orderForVoter(talks, 'user:1').map((t) => t.key),
    a,
  );
  assert.notDeepEqual(
    orderForVoter(talks, 'user:2').map((t) => t.key),
    a,
  );
  assert.deepEqual([...a].sort(), talks.map((t) => t.key).sort(), 'every talk once');
  const more = orderForVoter([...talks, { key: 'p9' }], 'user:1')
    .map((t) => t.key)
    .filter((k) => k !== 'p9');
  assert.deepEqual(more, a);
  // No position bias: over many voters, each talk is first about equally often.
  const first = new Map<string, number>();
  for (let v = 0; v < 3000; v++) {
    const k = orderForVoter(talks.slice(0, 5), `anon:${v}`)[0]!.key;
    first.set(k, (first.get(k) ?? 0) + 1);
  }
  for (const n of first.values()) assert.ok(n > 480 && n < 720, `first place ${n} of 3000`);
});

test('counts and co-interest pairs: both, lift and the fullnarp score', () => {
  const s = summarizeInterest([['a', 'b'], ['a', 'b', 'c'], ['a'], ['c', 'd'], ['b', 'a'], []]);
  assert.equal(s.voters, 5);
  assert.equal(s.picks, 10);
  assert.deepEqual(
    s.counts.map((c) => [c.key, c.count]),
    [
      ['a', 4],
      ['b', 3],
      ['c', 2],
      ['d', 1],
    ],
  );
  // a&b: 3 of 5 voters; lift = 3·5/(4·3) = 1.25; score = round(4·5·9·7/(16·9)) = round(8.75) = 9.
  assert.deepEqual(s.pairs[0], { a: 'a', b: 'b', both: 3, lift: 1.25, score: 9 });
  assert.equal(s.pairs.length, 1, 'pairs wanted by one person only are left out');
});

for (const database of testDatabases) {
  describe(`interest poll on ${database.name}`, () => {
    const env = useCfpDb(database);

    test('organizers set the poll up through the write path; others may not; bad input names the field', async () => {
      const c = await pollConference(env, 'poll-settings');
      const ctx = moduleContext(env.db, clock);
      const version = async () => (await env.db.selectFrom('events').select('version').where('id', '=', c.event.id).executeTakeFirstOrThrow()).version;
      const v0 = await version();
      const poll = await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open', scope: 'accepted', intro: 'Tick!', closesAt: '2027-04-01T18:00' });
      assert.deepEqual([poll.status, poll.scope, poll.intro, poll.closesAt], ['open', 'accepted', 'Tick!', '2027-04-01T16:00:00Z']);
      assert.equal(await version(), v0 + 1);
      const audit = await env.db.selectFrom('audit_log').select('action').where('event_id', '=', c.event.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(audit.action, 'interest.poll_created');
      const attendee = await newActor(env.db, 'Attendee settings');
      await rejectsWith(saveInterestPoll(ctx, attendee, c.event.id, { status: 'closed' }), 'FORBIDDEN');
      const manager = await newActor(env.db, 'Manager settings', [{ scope: 'event', scopeId: c.event.id, role: 'track_manager', trackIds: [c.tracks[0].id] }]);
      await rejectsWith(saveInterestPoll(ctx, manager, c.event.id, { status: 'closed' }), 'FORBIDDEN');
      const bad = await rejectsWith(
        saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'maybe', scope: 'all', closesAt: 'soon', intro: 'x'.repeat(5000) }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(bad.problems.map((p) => p.path).sort(), ['closesAt', 'intro', 'scope', 'status']);
      const dst = await rejectsWith(saveInterestPoll(ctx, c.organizer, c.event.id, { closesAt: '2027-03-28T02:30' }), 'VALIDATION_FAILED');
      assert.equal(dst.problems[0]!.path, 'closesAt');
      assert.equal(await version(), v0 + 1, 'refusals changed nothing');
      assert.deepEqual(await findInterestPoll(env.db, c.event.id), poll);
    });

    test('picks: a person, an anonymous private link, stars merged; bad input changes nothing', async () => {
      const c = await pollConference(env, 'poll-picks');
      const ctx = moduleContext(env.db, clock);
      const [rust, html, coffee] = [`s${c.sessions.rust}`, `s${c.sessions.html}`, `s${c.sessions.coffee}`];
      const [accepted, review, rejected] = [`p${c.proposals.accepted}`, `p${c.proposals.review}`, `p${c.proposals.rejected}`];
      const ada = await newActor(env.db, 'Ada Voter');
      await rejectsWith(saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [rust] }), 'INTEREST_POLL_NOT_FOUND');
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open', scope: 'accepted' });

      const mine = await saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [rust, accepted, rust] });
      assert.deepEqual(mine, { picks: [accepted, rust].sort(), token: null });
      // Proposals in review are not offered with scope "accepted"; breaks and rejected ones never.
      for (const key of [review, rejected, coffee, 's999999', 'p999999']) {
        const err = await rejectsWith(saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [html, key] }), 'INTEREST_TALK_UNKNOWN');
        assert.deepEqual(err.problems, [{ path: 'talks[1]', message: `"${key}" is not a talk of this poll` }]);
      }
      const malformed = await rejectsWith(saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: ['x1', html] }), 'VALIDATION_FAILED');
      assert.equal(malformed.problems[0]!.path, 'talks[0]');
      const many = await rejectsWith(
        saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: Array.from({ length: 501 }, (_, i) => `s${i + 1}`) }),
        'VALIDATION_FAILED',
      );
      assert.equal(many.problems[0]!.path, 'talks');

      const anon = await saveInterestPicks(ctx, { kind: 'link', token: null }, c.event.id, { talks: [html, accepted] });
      assert.match(anon.token ?? '', /^[A-Za-z0-9_-]{43}$/);
      const stored = await env.db
        .selectFrom('interest_voters')
        .select(['token_hash', 'user_id'])
        .where('event_id', '=', c.event.id)
        .where('user_id', 'is', null)
        .execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.token_hash, anon.token, 'only the hash is stored');
      const again = await saveInterestPicks(ctx, { kind: 'link', token: anon.token }, c.event.id, { talks: [html] });
      assert.deepEqual(again, { picks: [html], token: null });
      await rejectsWith(saveInterestPicks(ctx, { kind: 'link', token: 'A'.repeat(43) }, c.event.id, { talks: [html] }), 'INTEREST_LINK_INVALID');
      await rejectsWith(saveInterestPicks(ctx, { kind: 'link', token: null }, c.event.id, { talks: [] }), 'VALIDATION_FAILED');

      const bob = await newActor(env.db, 'Bob Starrer');
      await starSession(env.db, bob, c.event.id, c.sessions.html);
      await starSession(env.db, ada, c.event.id, c.sessions.html);
      const votes = await loadInterestVotes(env.db, c.event.id);
      assert.deepEqual(votes.voters, [[accepted, html, rust].sort(), [html], [html]], 'Ada: picks and star merged; Bob: star; the anonymous voter');

      // Scope "review" offers the proposal in review; closing stops all saves.
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open', scope: 'review' });
      await saveInterestPicks(ctx, { kind: 'person', actor: bob }, c.event.id, { talks: [review] });
      assert.equal((await loadInterestVotes(env.db, c.event.id)).voters.length, 3);
      assert.deepEqual((await loadInterestVotes(env.db, c.event.id)).voters[1], [html, review].sort());
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open', scope: 'accepted' });
      assert.deepEqual((await loadInterestVotes(env.db, c.event.id)).voters[1], [html], 'proposals out of scope are left out');
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'closed', scope: 'accepted' });
      const before = await loadInterestVotes(env.db, c.event.id);
      await rejectsWith(saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [] }), 'INTEREST_POLL_CLOSED');
      await rejectsWith(saveInterestPicks(ctx, { kind: 'link', token: anon.token }, c.event.id, { talks: [] }), 'INTEREST_POLL_CLOSED');
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open', scope: 'accepted', closesAt: '2027-03-01T12:00' });
      await rejectsWith(saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [] }), 'INTEREST_POLL_CLOSED');
      assert.deepEqual(await loadInterestVotes(env.db, c.event.id), before, 'refusals changed nothing');
    });

    test('a proposal that gets its session keeps its picks, under the session key', async () => {
      const c = await pollConference(env, 'poll-follow');
      const ctx = moduleContext(env.db, clock);
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open' });
      const ada = await newActor(env.db, 'Ada Follow');
      await saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [`p${c.proposals.accepted}`] });
      const { session } = await scheduleProposal(env.db, env.ctx, c.organizer, c.event.id, c.proposals.accepted, {
        roomId: c.rooms[1].id,
        start: '2027-04-16T10:00',
      });
      assert.deepEqual((await loadInterestVotes(env.db, c.event.id)).voters, [[`s${session.id}`]]);
      const page = await loadMyInterest(env.db, (await findInterestPoll(env.db, c.event.id))!, { userId: ada.userId, voterId: null }, 'x', clock.instant());
      assert.deepEqual([...page.picked], [`s${session.id}`]);
      assert.ok(page.talks.some((t) => t.key === `s${session.id}`));
      assert.ok(!page.talks.some((t) => t.key === `p${c.proposals.accepted}`), 'listed once, as its session');
      // Saving the session key again stores it with its proposal: still one talk.
      await saveInterestPicks(ctx, { kind: 'person', actor: ada }, c.event.id, { talks: [`s${session.id}`] });
      const row = await env.db
        .selectFrom('interest_picks')
        .innerJoin('interest_voters', 'interest_voters.id', 'interest_picks.voter_id')
        .selectAll('interest_picks')
        .where('interest_voters.user_id', '=', ada.userId)
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.session_id, row.proposal_id], [session.id, c.proposals.accepted]);
    });

    test('organizers and track managers see counts and pairs, never who; attendees see nothing; a deleted account takes its picks', async () => {
      const c = await pollConference(env, 'poll-results');
      const ctx = moduleContext(env.db, clock);
      await saveInterestPoll(ctx, c.organizer, c.event.id, { status: 'open' });
      const [rust, html, accepted] = [`s${c.sessions.rust}`, `s${c.sessions.html}`, `p${c.proposals.accepted}`];
      const people: Actor[] = [];
      for (let i = 0; i < 4; i++) people.push(await newActor(env.db, `Voter ${i}`));
      await saveInterestPicks(ctx, { kind: 'person', actor: people[0]! }, c.event.id, { talks: [rust, html] });
      await saveInterestPicks(ctx, { kind: 'person', actor: people[1]! }, c.event.id, { talks: [rust, html, accepted] });
      await saveInterestPicks(ctx, { kind: 'link', token: null }, c.event.id, { talks: [rust] });
      await starSession(env.db, people[2]!, c.event.id, c.sessions.html);
      await starSession(env.db, people[2]!, c.event.id, c.sessions.rust);
      const results = await getInterestResults(env.db, c.organizer, c.event.id);
      assert.equal(results.voters, 4);
      assert.deepEqual(
        results.talks.map((t) => [t.title, t.count]),
        [
          ['Rust in production', 4],
          ['Fast HTML', 3],
          ['Accessible forms', 1],
        ],
      );
      assert.deepEqual(
        results.pairs.map((p) => [p.aTitle, p.bTitle, p.both]),
        [['Rust in production', 'Fast HTML', 3]].map(([a, b, n]) => (rust < html ? [a, b, n] : [b, a, n])),
      );
      const text = JSON.stringify(results);
      for (const p of people) assert.ok(!text.includes(p.displayName) && !text.includes(`"userId"`), 'no names or ids');
      const manager = await newActor(env.db, 'Manager results', [{ scope: 'event', scopeId: c.event.id, role: 'track_manager', trackIds: [c.tracks[0].id] }]);
      assert.equal((await getInterestResults(env.db, manager, c.event.id)).voters, 4);
      await rejectsWith(getInterestResults(env.db, people[3]!, c.event.id), 'FORBIDDEN');
      await rejectsWith(getInterestResults(env.db, null, c.event.id), 'FORBIDDEN');

      const mine = await exportPersonalData(env.db, people[1]!);
      assert.deepEqual(mine.interestPicks.map((p) => [p.event, p.talk]).sort(), [
        ['poll-results', 'Accessible forms'],
        ['poll-results', 'Fast HTML'],
        ['poll-results', 'Rust in production'],
      ]);
      await deletePersonalData(env.db, env.config, people[1]!, { keepSpeakerCredit: true, clock });
      const left = await env.db.selectFrom('interest_voters').select('user_id').where('event_id', '=', c.event.id).execute();
      assert.ok(!left.some((v) => v.user_id === people[1]!.userId));
      assert.equal((await getInterestResults(env.db, c.organizer, c.event.id)).voters, 3);
    });
  });
}
