import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { revokeApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { SESSION_COOKIE } from '../../src/http/auth.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { assertError, tokenFor, useManageApp } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';

for (const database of testDatabases) {
  describe(`organizer API authentication and CORS on ${database.name}`, () => {
    const env = useManageApp(database);

    test('no token, a malformed, unknown or revoked token, or only a session cookie: 401 with WWW-Authenticate', async () => {
      const { api } = env;
      const admin = await tokenFor(env.db, 'Admin', { isAdmin: true });
      const none = await api.get(`${M}/events`);
      assertError(none, 401, 'UNAUTHENTICATED');
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="hallway"');
      assert.equal(none.headers.get('access-control-allow-origin'), '*');

      for (const header of ['Bearer hw_unknown', 'Bearer', 'Basic dXNlcjpwYXNz', `Token ${admin.token}`, `Bearer ${admin.token}x`]) {
        const r = await api.get(`${M}/events`, { headers: { authorization: header } });
        assertError(r, 401, 'UNAUTHENTICATED');
        assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="hallway", error="invalid_token"', header);
      }
      const cookieOnly = await api.post(`${M}/communities`, {
        json: { slug: 'sneaky', name: 'Sneaky' },
        headers: { cookie: `${SESSION_COOKIE}=${admin.sessionCookie}` },
      });
      assertError(cookieOnly, 401, 'UNAUTHENTICATED');

      assert.equal((await api.get(`${M}/events`, { token: admin.token })).status, 200);
      assert.equal((await api.get(`${M}/events`, { headers: { authorization: `bearer   ${admin.token}` } })).status, 200, 'the scheme is case-insensitive');

      const row = await env.db
        .selectFrom('users')
        .select(['id', 'display_name', 'is_admin', 'email_verified_at'])
        .where('id', '=', admin.userId)
        .executeTakeFirstOrThrow();
      const tokenRow = await env.db.selectFrom('api_tokens').select('id').where('user_id', '=', admin.userId).executeTakeFirstOrThrow();
      await revokeApiToken(env.db, await actorFor(env.db, row), tokenRow.id);
      assertError(await api.get(`${M}/events`, { token: admin.token }), 401, 'UNAUTHENTICATED');
      assert.equal(await env.db.selectFrom('communities').select('id').where('slug', '=', 'sneaky').executeTakeFirst(), undefined);
    });

    test('a valid token of someone without rights is 403; unauthenticated requests are refused before the body is read', async () => {
      const { api } = env;
      const attendee = await tokenFor(env.db, 'Attendee');
      const owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      const c = await api.post(`${M}/communities`, { token: owner.token, json: { slug: 'owned', name: 'Owned' } });
      const e = await api.post(`${M}/events`, {
        token: owner.token,
        json: {
          communityId: c.body.data.id,
          slug: 'owned-2027',
          kind: 'meetup',
          title: 'Owned',
          timeZone: 'UTC',
          startDate: '2027-01-01',
          endDate: '2027-01-01',
        },
      });
      assertError(await api.patch(`${M}/events/${e.body.data.id}`, { token: attendee.token, json: { title: 'Mine now' } }), 403, 'FORBIDDEN');
      assertError(await api.post(`${M}/events/${e.body.data.id}/publish`, { token: attendee.token }), 403, 'FORBIDDEN');
      const big = await api.post(`${M}/events/import?communityId=${c.body.data.id}`, { raw: 'x'.repeat(30 * 1024 * 1024), type: 'application/xml' });
      assertError(big, 401, 'UNAUTHENTICATED');
    });

    test('preflight allows Authorization, the JSON/XML content types and the methods used; answers never vary by cookie', async () => {
      const pre = await env.app.get(`${M}/events/1/sessions/2`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://schedule.example',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.equal(pre.headers.get('access-control-allow-credentials'), null, 'never with credentials');
      const methods = pre.headers.get('access-control-allow-methods')!.split(/,\s*/);
      for (const m of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) assert.ok(methods.includes(m), m);
      const headers = pre.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
      assert.ok(headers.includes('authorization') && headers.includes('content-type'));
      // The public API's own preflight is unchanged.
      const pub = await env.app.get('/api/v1/events', { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'GET' } });
      assert.equal(pub.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS');

      const owner = await tokenFor(env.db, 'Reader');
      const plain = await env.api.get(`${M}/events`, { token: owner.token });
      const withCookie = await env.api.get(`${M}/events`, { token: owner.token, headers: { cookie: `${SESSION_COOKIE}=${owner.sessionCookie}` } });
      assert.equal(withCookie.text, plain.text);
      assert.equal(plain.headers.get('set-cookie'), null);
      assert.equal(plain.headers.get('cache-control'), 'no-store');
      assert.match(plain.headers.get('access-control-expose-headers')!, /Location/);
    });

    test('OpenAPI lists every organizer route under tag Organizer with bearer security and its error responses', async () => {
      const doc = (await env.api.openApi()) as unknown as {
        components: { securitySchemes: Record<string, unknown> };
        paths: Record<
          string,
          Record<string, { tags: string[]; security: unknown; responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } }>
        >;
      };
      assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
        type: 'http',
        scheme: 'bearer',
        description: 'A personal access token (hw_…), created under Account → API tokens; it acts as its owner.',
      });
      const ops = Object.entries(doc.paths)
        .filter(([p]) => p.startsWith(`${M}/`))
        .flatMap(([p, item]) => Object.entries(item).map(([m, op]) => ({ at: `${m.toUpperCase()} ${p}`, op })));
      const expected = [
        'GET /api/v1/manage/communities',
        'POST /api/v1/manage/communities',
        'GET /api/v1/manage/communities/{communityId}',
        'PATCH /api/v1/manage/communities/{communityId}',
        'GET /api/v1/manage/events',
        'POST /api/v1/manage/events',
        'GET /api/v1/manage/events/{eventId}',
        'PATCH /api/v1/manage/events/{eventId}',
        'POST /api/v1/manage/events/{eventId}/publish',
        'POST /api/v1/manage/events/{eventId}/unpublish',
        'PUT /api/v1/manage/events/{eventId}/hosts',
        ...['rooms', 'tracks', 'sponsors'].flatMap((k) => [
          `POST /api/v1/manage/events/{eventId}/${k}`,
          `PATCH /api/v1/manage/events/{eventId}/${k}/{${k.slice(0, -1)}Id}`,
          `DELETE /api/v1/manage/events/{eventId}/${k}/{${k.slice(0, -1)}Id}`,
        ]),
        'GET /api/v1/manage/events/{eventId}/speakers',
        'POST /api/v1/manage/events/{eventId}/speakers',
        'PATCH /api/v1/manage/events/{eventId}/speakers/{speakerId}',
        'DELETE /api/v1/manage/events/{eventId}/speakers/{speakerId}',
        'GET /api/v1/manage/events/{eventId}/sessions',
        'POST /api/v1/manage/events/{eventId}/sessions',
        'PATCH /api/v1/manage/events/{eventId}/sessions/{sessionId}',
        'DELETE /api/v1/manage/events/{eventId}/sessions/{sessionId}',
        'POST /api/v1/manage/events/{eventId}/sessions/{sessionId}/cancel',
        'POST /api/v1/manage/events/{eventId}/sessions/{sessionId}/restore',
        'POST /api/v1/manage/events/{eventId}/cancel',
        'POST /api/v1/manage/events/import',
        'POST /api/v1/manage/events/{eventId}/import',
        'GET /api/v1/manage/events/{eventId}/registration',
        'PATCH /api/v1/manage/events/{eventId}/registration',
        'PUT /api/v1/manage/events/{eventId}/registration/capacity',
        'POST /api/v1/manage/events/{eventId}/registration/close',
        'POST /api/v1/manage/events/{eventId}/registration/open',
        'POST /api/v1/manage/events/{eventId}/registration/ticket-types',
        'GET /api/v1/manage/events/{eventId}/registration/counts',
        'PUT /api/v1/manage/events/{eventId}/sessions/{sessionId}/signup',
        'GET /api/v1/manage/events/{eventId}/attendees',
        'POST /api/v1/manage/events/{eventId}/attendees/{rsvpId}/move',
        'DELETE /api/v1/manage/events/{eventId}/attendees/{rsvpId}/checkin',
        'POST /api/v1/manage/events/{eventId}/checkins',
        'GET /api/v1/manage/communities/{communityId}/members',
        'GET /api/v1/manage/communities/{communityId}/series',
        'POST /api/v1/manage/communities/{communityId}/series',
        'GET /api/v1/manage/series/{seriesId}',
        'PATCH /api/v1/manage/series/{seriesId}',
        'POST /api/v1/manage/series/{seriesId}/generate',
        'GET /api/v1/manage/events/{eventId}/webhooks',
        'POST /api/v1/manage/events/{eventId}/webhooks',
        'PATCH /api/v1/manage/events/{eventId}/webhooks/{webhookId}',
        'DELETE /api/v1/manage/events/{eventId}/webhooks/{webhookId}',
        'GET /api/v1/manage/events/{eventId}/webhooks/{webhookId}/deliveries',
        'POST /api/v1/manage/events/{eventId}/webhooks/{webhookId}/test',
        'POST /api/v1/manage/events/{eventId}/webhooks/{webhookId}/rotate-secret',
        'GET /api/v1/manage/events/{eventId}/cfp',
        'PUT /api/v1/manage/events/{eventId}/cfp',
        'POST /api/v1/manage/events/{eventId}/cfp/close',
        'POST /api/v1/manage/events/{eventId}/cfp/reopen',
        'GET /api/v1/manage/events/{eventId}/proposals',
        'GET /api/v1/manage/events/{eventId}/proposals/{proposalId}',
        'PUT /api/v1/manage/events/{eventId}/proposals/{proposalId}/review',
        'POST /api/v1/manage/events/{eventId}/proposals/{proposalId}/decide',
        'POST /api/v1/manage/events/{eventId}/proposals/{proposalId}/schedule',
        'GET /api/v1/manage/events/{eventId}/releases',
        'GET /api/v1/manage/events/{eventId}/releases/preview',
        'POST /api/v1/manage/events/{eventId}/releases',
        'POST /api/v1/manage/events/{eventId}/releases/{name}/send-mails',
        'GET /api/v1/manage/events/{eventId}/interest',
        'PUT /api/v1/manage/events/{eventId}/interest',
        'GET /api/v1/manage/events/{eventId}/schedule',
        'POST /api/v1/manage/events/{eventId}/schedule/moves',
        'POST /api/v1/manage/events/{eventId}/schedule/blockers',
        'DELETE /api/v1/manage/events/{eventId}/schedule/blockers/{blockerId}',
        'PUT /api/v1/manage/events/{eventId}/schedule/hours',
        'POST /api/v1/manage/events/{eventId}/schedule/optimizer-runs',
        'GET /api/v1/manage/events/{eventId}/schedule/optimizer-runs/{runId}',
        'POST /api/v1/manage/events/{eventId}/schedule/optimizer-runs/{runId}/stop',
        'POST /api/v1/manage/events/{eventId}/schedule/optimizer-runs/{runId}/accept',
        'POST /api/v1/manage/events/{eventId}/schedule/optimizer-runs/{runId}/discard',
        'PUT /api/v1/manage/events/{eventId}/speakers/{speakerId}/availability',
      ];
      assert.deepEqual(ops.map((o) => o.at).sort(), expected.sort());
      for (const { at, op } of ops) {
        assert.deepEqual(op.tags, ['Organizer'], at);
        assert.deepEqual(op.security, [{ bearerAuth: [] }], at);
        assert.ok(op.responses['401'], `${at} documents 401`);
        if (
          !at.startsWith('GET ') &&
          !at.startsWith('DELETE ') &&
          !/publish|cancel|restore|registration\/(close|open)|cfp\/(close|reopen)|generate|webhooks\/\{webhookId\}\/(test|rotate-secret)|send-mails|optimizer-runs\/\{runId\}\/(stop|accept|discard)/.test(
            at,
          )
        )
          assert.ok(op.requestBody, `${at} documents its body`);
      }
      assert.deepEqual(Object.keys(doc.paths['/api/v1/manage/events/import']!.post!.requestBody!.content).sort(), [
        'application/json',
        'application/xml',
        'text/xml',
      ]);
      assert.ok(doc.paths['/api/v1/manage/events/{eventId}/rooms/{roomId}']!.delete!.responses['204']);
      assert.ok(doc.paths['/api/v1/manage/events/import']!.post!.responses['413']);
    });
  });
}
