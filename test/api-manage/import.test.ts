import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { downloadUrl } from '../../src/modules/schedule/safe-download.js';
import type { DomainError } from '../../src/lib/domain-error.js';
import { classifyAddress } from '../../src/lib/ip-address.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { interopSkipReason, sample } from '../interop/support.js';
import { assertError, miniSchedule, tokenFor, useManageApp, writeFingerprint, type ManageClient, type TokenHolder } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';
const MAX = 200_000;
const XML_SAMPLE = 'romhack-camp-2026-pretalx.schedule.xml';
const JSON_SAMPLE = 'democon-pretalx.schedule.json';

/** A loopback HTTP server for URL imports: samples, redirects, a big body. */
async function scheduleServer(host = '127.0.0.1'): Promise<{ server: Server; base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url!);
    if (req.url === '/romhack.xml') res.writeHead(200, { 'content-type': 'application/xml' }).end(sample(XML_SAMPLE));
    else if (req.url === '/mini.xml.gz')
      res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip' }).end(gzipSync(miniSchedule('Gzipped Conf')));
    else if (req.url === '/mini.xml') res.end(miniSchedule('Downloaded Conf'));
    else if (req.url === '/redirect') res.writeHead(302, { location: '/mini.xml' }).end();
    else if (req.url?.startsWith('/to?')) res.writeHead(302, { location: decodeURIComponent(req.url.slice(4)) }).end();
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (req.url === '/big') res.end(`<schedule>${' '.repeat(MAX)}</schedule>`);
    else res.writeHead(404).end('no');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, base: `http://${host}:${(server.address() as AddressInfo).port}`, hits };
}

async function community(api: ManageClient, owner: TokenHolder, slug: string): Promise<number> {
  const c = await api.post(`${M}/communities`, { token: owner.token, json: { slug, name: slug } });
  assert.equal(c.status, 201, c.text);
  return c.body.data.id;
}

const allUnchanged = (s: Record<string, { added: number; changed: number; removed: number }>) =>
  (['rooms', 'tracks', 'speakers', 'sessions', 'sponsors'] as const).every((k) => s[k]!.added + s[k]!.changed + s[k]!.removed === 0);

for (const database of testDatabases) {
  describe(`schedule import endpoint on ${database.name}`, { skip: interopSkipReason }, () => {
    const env = useManageApp(database, { MAX_IMPORT_BYTES: String(MAX) });
    let owner: TokenHolder;
    let communityId: number;
    let src: Awaited<ReturnType<typeof scheduleServer>>;
    before(async () => {
      owner = await tokenFor(env.db, 'Importer', { mayCreateCommunities: true });
      communityId = await community(env.api, owner, 'imports');
      src = await scheduleServer();
    });
    after(() => {
      src.server.closeAllConnections();
      src.server.close();
    });

    test('frab XML creates a draft event (201, Location, summary); importing it again changes nothing', async () => {
      const { api } = env;
      const r = await api.post(`${M}/events/import?communityId=${communityId}`, {
        token: owner.token,
        raw: sample(XML_SAMPLE),
        type: 'application/xml; charset=utf-8',
      });
      assert.equal(r.status, 201, r.text);
      const s = r.body.data;
      assert.equal(r.headers.get('location'), `${M}/events/${s.event.id}`);
      assert.equal(s.created, true);
      assert.equal(s.format, 'xml');
      assert.equal(s.event.state, 'draft');
      assert.ok(s.sessions.added > 5 && s.rooms.added > 0 && s.speakers.added > 0, JSON.stringify(s));
      assert.equal((await env.app.get(`/api/v1/events/${s.event.slug}`)).status, 404, 'a draft until published');
      const listed = await api.get(`${M}/events/${s.event.id}`, { token: owner.token });
      assert.equal(listed.body.data.community.id, communityId);

      const before = await writeFingerprint(env.db);
      const again = await api.post(`${M}/events/${s.event.id}/import`, { token: owner.token, raw: sample(XML_SAMPLE), type: 'text/xml' });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.data.created, false);
      assert.equal(again.body.data.changed, false);
      assert.ok(allUnchanged(again.body.data), JSON.stringify(again.body.data));
      assert.equal(await writeFingerprint(env.db), before, 'a re-import writes nothing');

      const dup = await api.post(`${M}/events/import?communityId=${communityId}`, { token: owner.token, raw: sample(XML_SAMPLE), type: 'application/xml' });
      assertError(dup, 409, 'SLUG_TAKEN');
      assert.equal(await writeFingerprint(env.db), before);
    });

    test('frab JSON creates an event too, with a chosen slug; re-import is all unchanged', async () => {
      const { api } = env;
      const r = await api.post(`${M}/events/import?communityId=${communityId}&slug=democon-api`, {
        token: owner.token,
        raw: sample(JSON_SAMPLE),
        type: 'application/json',
      });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.data.format, 'json');
      assert.equal(r.body.data.event.slug, 'democon-api');
      const again = await api.post(`${M}/events/${r.body.data.event.id}/import`, { token: owner.token, raw: sample(JSON_SAMPLE), type: 'application/json' });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.data.changed, false);
      assert.ok(allUnchanged(again.body.data));
    });

    test('malformed XML, XXE, oversize, wrong type, empty body, bad parameters: 4xx with the reason, nothing written', async () => {
      const { api } = env;
      const before = await writeFingerprint(env.db);
      const post = (raw: string | Buffer, type = 'application/xml', query = `communityId=${communityId}&slug=bad`) =>
        api.post(`${M}/events/import?${query}`, { token: owner.token, raw, type });
      const malformed = await post('<schedule><conference><title>Broken</title></schedule>');
      assertError(malformed, 400, 'SCHEDULE_MALFORMED');
      assert.match(malformed.body.error.message, /line \d+/);
      const xxe = await post(
        '<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><schedule><conference><title>&xxe;</title></conference></schedule>',
      );
      assertError(xxe, 400, 'SCHEDULE_ENTITIES_REFUSED');
      assert.doesNotMatch(xxe.text, /root:/);
      assertError(await post('{"schedule": '), 400, 'SCHEDULE_MALFORMED');
      assertError(await post(Buffer.alloc(MAX + 1, 0x20)), 413, 'SCHEDULE_TOO_LARGE');
      assertError(await post('hello', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      assertError(await post(''), 422, 'VALIDATION_FAILED');
      assertError(await post(miniSchedule(), 'application/xml', 'slug=no-community'), 422, 'VALIDATION_FAILED');
      assertError(await post(miniSchedule(), 'application/xml', `communityId=${communityId}&slug=Not A Slug`), 422, 'VALIDATION_FAILED');
      assertError(await post(JSON.stringify({ url: 42 }), 'application/json'), 422, 'VALIDATION_FAILED');
      const fosdemLike = miniSchedule().replace('<time_zone_name>Europe/Amsterdam</time_zone_name>', '');
      assertError(await post(fosdemLike), 422, 'SCHEDULE_TIME_ZONE_MISSING');
      assert.equal(await writeFingerprint(env.db), before, 'nothing was written');
      const zoned = await post(fosdemLike, 'application/xml', `communityId=${communityId}&slug=zoned&timeZone=Europe/Brussels`);
      assert.equal(zoned.status, 201, zoned.text);
      assertError(
        await api.post(`${M}/events/${zoned.body.data.event.id}/import?slug=x`, { token: owner.token, raw: fosdemLike, type: 'application/xml' }),
        422,
        'VALIDATION_FAILED',
      );
    });

    test('{"url"} from a loopback server is refused while IMPORT_ALLOW_PRIVATE_URLS is off, before any connection', async () => {
      const { api } = env;
      const before = await writeFingerprint(env.db);
      const port = new URL(src.base).port;
      const refused = [
        `${src.base}/mini.xml`,
        `http://localhost:${port}/mini.xml`,
        `http://10.0.0.1:${port}/mini.xml`,
        `http://169.254.169.254/latest/meta-data/`,
        `http://[::1]:${port}/mini.xml`,
        `http://[::ffff:127.0.0.1]:${port}/mini.xml`,
        `http://0.0.0.0:${port}/mini.xml`,
        `http://2130706433:${port}/mini.xml`,
      ];
      for (const url of refused) {
        const r = await api.post(`${M}/events/import?communityId=${communityId}&slug=fetched`, { token: owner.token, json: { url } });
        assertError(r, 400, 'SCHEDULE_URL_REFUSED');
        assert.match(r.body.error.message, /address, not a public one \(IMPORT_ALLOW_PRIVATE_URLS is off\)/, url);
      }
      assertError(
        await api.post(`${M}/events/import?communityId=${communityId}`, { token: owner.token, json: { url: 'file:///etc/passwd' } }),
        400,
        'SCHEDULE_URL_REFUSED',
      );
      assertError(
        await api.post(`${M}/events/import?communityId=${communityId}`, { token: owner.token, json: { url: 'gopher://example.org/' } }),
        400,
        'SCHEDULE_URL_REFUSED',
      );
      assert.deepEqual(src.hits, [], 'the server was never contacted');
      assert.equal(await writeFingerprint(env.db), before);
    });
  });

  describe(`schedule import from URLs with IMPORT_ALLOW_PRIVATE_URLS=true on ${database.name}`, { skip: interopSkipReason }, () => {
    const env = useManageApp(database, { IMPORT_ALLOW_PRIVATE_URLS: 'true', MAX_IMPORT_BYTES: String(MAX) });
    let owner: TokenHolder;
    let communityId: number;
    let src: Awaited<ReturnType<typeof scheduleServer>>;
    before(async () => {
      owner = await tokenFor(env.db, 'Importer', { mayCreateCommunities: true });
      communityId = await community(env.api, owner, 'fetched');
      src = await scheduleServer();
    });
    after(() => {
      src.server.closeAllConnections();
      src.server.close();
    });

    test('a URL is downloaded (redirects and gzip too) and imported; re-import by URL changes nothing', async () => {
      const { api } = env;
      const r = await api.post(`${M}/events/import?communityId=${communityId}`, { token: owner.token, json: { url: `${src.base}/romhack.xml` } });
      assert.equal(r.status, 201, r.text);
      assert.ok(r.body.data.sessions.added > 5);
      const again = await api.post(`${M}/events/${r.body.data.event.id}/import`, { token: owner.token, json: { url: `${src.base}/romhack.xml` } });
      assert.equal(again.body.data.changed, false, again.text);
      const redirected = await api.post(`${M}/events/import?communityId=${communityId}&slug=redirected`, {
        token: owner.token,
        json: { url: `${src.base}/redirect` },
      });
      assert.equal(redirected.status, 201, redirected.text);
      const gz = await api.post(`${M}/events/import?communityId=${communityId}&slug=gzipped`, { token: owner.token, json: { url: `${src.base}/mini.xml.gz` } });
      assert.equal(gz.status, 201, gz.text);
    });

    test('downloads are capped: size 413, redirect loops 502, HTTP errors 502', async () => {
      const { api } = env;
      const before = await writeFingerprint(env.db);
      assertError(
        await api.post(`${M}/events/import?communityId=${communityId}&slug=big`, { token: owner.token, json: { url: `${src.base}/big` } }),
        413,
        'SCHEDULE_TOO_LARGE',
      );
      const loop = await api.post(`${M}/events/import?communityId=${communityId}&slug=loop`, { token: owner.token, json: { url: `${src.base}/loop` } });
      assertError(loop, 502, 'SCHEDULE_FETCH_FAILED');
      assert.match(loop.body.error.message, /more than 5 redirects/);
      assertError(
        await api.post(`${M}/events/import?communityId=${communityId}&slug=nope`, { token: owner.token, json: { url: `${src.base}/nope` } }),
        502,
        'SCHEDULE_FETCH_FAILED',
      );
      assert.equal(await writeFingerprint(env.db), before);
    });
  });
}

describe('downloadUrl: each redirect hop is checked, and the connection is pinned to the checked address', () => {
  let src: Awaited<ReturnType<typeof scheduleServer>>;
  before(async () => {
    // 127.0.0.2 plays a public server: the test classifier calls it public, 127.0.0.1 stays loopback.
    src = await scheduleServer('127.0.0.2');
  });
  after(() => {
    src.server.closeAllConnections();
    src.server.close();
  });
  const classify = (a: string) => (a === '127.0.0.2' ? 'public' : classifyAddress(a));

  test('a redirect to a loopback address is refused', async () => {
    const loopbackUrl = `http://127.0.0.1:${new URL(src.base).port}/mini.xml`;
    await assert.rejects(
      downloadUrl(`${src.base}/to?${encodeURIComponent(loopbackUrl)}`, { maxBytes: 1e6, allowPrivateAddresses: false, classify }),
      (err: DomainError) => err.code === 'SCHEDULE_URL_REFUSED' && /it redirects to 127\.0\.0\.1:\d+, and 127\.0\.0\.1 is a loopback address/.test(err.message),
    );
    await assert.rejects(
      downloadUrl(`${src.base}/to?${encodeURIComponent(`http://localhost:${new URL(src.base).port}/mini.xml`)}`, {
        maxBytes: 1e6,
        allowPrivateAddresses: false,
        classify,
      }),
      (err: DomainError) => err.code === 'SCHEDULE_URL_REFUSED' && /localhost \((127\.0\.0\.1|::1)\) is a loopback address/.test(err.message),
    );
    const ok = await downloadUrl(`${src.base}/redirect`, { maxBytes: 1e6, allowPrivateAddresses: false, classify });
    assert.equal(ok.url, `${src.base}/mini.xml`);
  });

  test('the host is resolved once per hop and the socket connects to that answer (no DNS rebinding)', async () => {
    const answers = ['127.0.0.2', '127.0.0.1'];
    const asked: string[] = [];
    const resolveHost = async (host: string) => {
      asked.push(host);
      return [{ address: answers.shift() ?? '127.0.0.1', family: 4 as const }];
    };
    const port = new URL(src.base).port;
    const r = await downloadUrl(`http://schedule.rebind.test:${port}/mini.xml`, { maxBytes: 1e6, allowPrivateAddresses: false, classify, resolveHost });
    assert.match(Buffer.from(r.bytes).toString('utf8'), /Downloaded Conf/);
    assert.deepEqual(asked, ['schedule.rebind.test'], 'one lookup, used for the connection');
    await assert.rejects(
      downloadUrl(`http://schedule.rebind.test:${port}/mini.xml`, {
        maxBytes: 1e6,
        allowPrivateAddresses: false,
        classify,
        resolveHost: async () => [
          { address: '127.0.0.2', family: 4 },
          { address: '10.0.0.1', family: 4 },
        ],
      }),
      (err: DomainError) => err.code === 'SCHEDULE_URL_REFUSED' && /10\.0\.0\.1\) is a private address/.test(err.message),
      'every address of the host must be public',
    );
  });
});
