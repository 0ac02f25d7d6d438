import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { DomainError } from '../../lib/domain-error.js';
import type { AddressClass } from '../../lib/ip-address.js';
import { checkHost, pinnedLookup, type Target } from '../../lib/public-target.js';
import { HALLWAY_VERSION } from '../../formats/frab-common.js';
import { formatBytes, ImportErrors } from './import.errors.js';

export interface DownloadOptions {
  /** Largest body read (after decompression); the download stops as soon as it passes this. */
  readonly maxBytes: number;
  /** Whole download, every redirect included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Redirects followed at most. Default 5. */
  readonly maxRedirects?: number;
  /**
   * Allow loopback, private, link-local, unique-local, multicast and other non-public
   * addresses. False for URLs a web user gives (IMPORT_ALLOW_PRIVATE_URLS); the operator's
   * CLI passes true.
   */
  readonly allowPrivateAddresses: boolean;
  /** Tests only: resolve host names (default: the system resolver, dns.lookup). */
  readonly resolveHost?: (host: string) => Promise<readonly Target[]>;
  /** Tests only: classify addresses (default: classifyAddress). */
  readonly classify?: (address: string) => AddressClass;
}

export interface Download {
  readonly bytes: Uint8Array;
  /** The final URL after redirects. */
  readonly url: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads an http(s) URL without letting the URL reach what the server can reach but its users
 * should not (SSRF). For the URL and for every redirect hop: only http and https; the host is
 * resolved once and refused unless every address it resolves to is public (see
 * lib/ip-address.ts); the connection is then made to exactly that checked address (the socket's
 * DNS lookup is pinned to it, so a second, different answer cannot be used: no DNS rebinding),
 * while the Host header and TLS certificate check still use the name. At most `maxRedirects`
 * redirects, `maxBytes` bytes (counted after gzip/deflate/br decoding) and `timeoutMs` in all.
 *
 * @throws SCHEDULE_URL_REFUSED (400), SCHEDULE_TOO_LARGE (413), SCHEDULE_FETCH_FAILED (502),
 *   SCHEDULE_FETCH_TIMEOUT (504).
 */
export async function downloadUrl(url: string, options: DownloadOptions): Promise<Download> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    clearTimeout(timer);
    throw ImportErrors.urlRefused(url, 'it is not an absolute URL');
  }
  try {
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw ImportErrors.urlRefused(url, `${hop ? `it redirects to ${current.href}, and ` : ''}only http and https URLs can be imported`);
      }
      const target = await resolveChecked(url, current, hop, options);
      const res = await get(current, target, controller.signal);
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode ?? 0) && location) {
        res.resume();
        if (hop >= maxRedirects) throw ImportErrors.fetchFailed(url, `more than ${maxRedirects} redirects`);
        try {
          current = new URL(location, current);
        } catch {
          throw ImportErrors.fetchFailed(url, `a redirect to an invalid address (${location.slice(0, 200)})`);
        }
        continue;
      }
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        throw ImportErrors.fetchFailed(url, `the server answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`);
      }
      const declared = Number(res.headers['content-length']);
      if (declared > options.maxBytes) {
        res.destroy();
        throw ImportErrors.tooLarge(options.maxBytes, `The download (${formatBytes(declared)} announced)`);
      }
      const body = decoded(res, url);
      const bytes = await readLimited(body, options.maxBytes, () => {
        res.destroy();
        body.destroy();
      });
      return { bytes, url: current.href };
    }
  } catch (err) {
    if (controller.signal.aborted && controller.signal.reason instanceof TimeoutSignal) throw ImportErrors.fetchTimeout(url, timeoutMs);
    if (err instanceof DomainError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw ImportErrors.fetchFailed(url, e.code ?? e.message ?? String(err));
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

class TimeoutSignal extends Error {}

/** Resolves the URL's host once and checks every address it has (lib/public-target.ts). */
async function resolveChecked(original: string, url: URL, hop: number, options: DownloadOptions): Promise<Target> {
  const check = await checkHost(url.hostname, options);
  if (check.ok) return check.target;
  if (!check.refused) throw ImportErrors.fetchFailed(original, check.reason);
  const via = hop ? `it redirects to ${url.host}, and ` : '';
  throw ImportErrors.urlRefused(original, `${via}${check.reason} (IMPORT_ALLOW_PRIVATE_URLS is off)`);
}

/** One GET to `url`, connecting to `target` whatever the name resolves to by now. */
function get(url: URL, target: Target, signal: AbortSignal): Promise<IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: 'GET',
      signal,
      lookup: pinnedLookup(target),
      agent: false,
      headers: {
        accept: 'application/xml, text/xml, application/json;q=0.9, */*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
        'user-agent': `Hallway/${HALLWAY_VERSION} (schedule import)`,
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

function decoded(res: IncomingMessage, url: string): Readable {
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return res;
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  if (!decoder) {
    res.destroy();
    throw ImportErrors.fetchFailed(url, `unsupported Content-Encoding "${encoding.slice(0, 40)}"`);
  }
  res.on('error', (err) => decoder.destroy(err));
  return res.pipe(decoder);
}

async function readLimited(stream: AsyncIterable<Uint8Array>, max: number, stop: () => void): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > max) {
      stop();
      throw ImportErrors.tooLarge(max, `The download (more than ${formatBytes(max)} so far)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
